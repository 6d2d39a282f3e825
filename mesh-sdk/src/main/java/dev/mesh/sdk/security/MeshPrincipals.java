package dev.mesh.sdk.security;

import java.util.List;

/**
 * The principals of a mesh: one per domain (named as the domain), and the platform's own. The admin is the
 * brokers' super user and the registry's administrator; ops tools use it.
 */
public final class MeshPrincipals {
    public static final String ADMIN = "admin";
    public static final String REGISTRY = "registry";
    public static final String CATALOG = "catalog";
    public static final List<String> PLATFORM = List.of(ADMIN, REGISTRY, CATALOG);

    private MeshPrincipals() {
    }

    public static String principal(String user) {
        return "User:" + user;
    }

    /** The domain a principal stands for, or the principal itself when it is not a {@code User:}. */
    public static String user(String principal) {
        return principal.startsWith("User:") ? principal.substring("User:".length()) : principal;
    }
}
