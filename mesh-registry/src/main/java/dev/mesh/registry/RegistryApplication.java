package dev.mesh.registry;

import io.micronaut.runtime.Micronaut;

/** The registry as a service on its own: {@code KAFKA_BOOTSTRAP_SERVERS}, port 8081 ({@code REGISTRY_PORT}). */
public final class RegistryApplication {
    /**
     * The Micronaut environment of the registry's beans and settings (application-registry.yml), so the registry
     * can share a JVM with other Micronaut services without mixing beans.
     */
    public static final String ENV = "registry";

    private RegistryApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(RegistryApplication.class).environments(ENV).start();
    }
}
