package dev.mesh.service.security;

import java.nio.file.Path;
import java.util.Map;

/**
 * The settings that secure a Micronaut service of the mesh (a domain service, the registry, the catalog): Micronaut
 * Security with HTTP basic auth against the mesh's realm, /health details and /prometheus for authenticated callers
 * only. Off unless given, so a service started bare (tests of one service) answers as before.
 */
public final class MeshSecurity {
    /** The realm file ({@code dev.mesh.sdk.security.CredentialStore#realm}) basic auth is checked against. */
    public static final String REALM = "mesh.security.realm";
    public static final String ADMIN_ROLE = dev.mesh.sdk.access.MeshAccounts.ADMIN_ROLE;

    private MeshSecurity() {
    }

    public static Map<String, Object> settings(Path realm) {
        return Map.of(
                "micronaut.security.enabled", true,
                REALM, realm.toString(),
                "endpoints.health.details-visible", "AUTHENTICATED",
                "endpoints.prometheus.sensitive", true);
    }
}
