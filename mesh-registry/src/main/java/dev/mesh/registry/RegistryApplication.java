package dev.mesh.registry;

import io.micronaut.runtime.Micronaut;

/** The registry as a service on its own: {@code KAFKA_BOOTSTRAP_SERVERS}, port 8081 ({@code REGISTRY_PORT}). */
public final class RegistryApplication {
    private RegistryApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(RegistryApplication.class, args);
    }
}
