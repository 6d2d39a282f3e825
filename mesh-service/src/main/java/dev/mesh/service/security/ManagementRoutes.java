package dev.mesh.service.security;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Micronaut's management endpoints on every service of the mesh: /health answers anyone (its details only principals,
 * {@code endpoints.health.details-visible}); metrics tell routes, errors and sign-in failures, so they are for admins
 * (Prometheus scrapes with the admin's credentials).
 */
@Singleton
@Requires(property = MeshSecurity.REALM)
final class ManagementRoutes implements RouteRules {
    @Override
    public Map<String, RouteAccess> rules() {
        Map<String, RouteAccess> rules = new LinkedHashMap<>();
        rules.put("GET /health", RouteAccess.open());
        rules.put("GET /health/{selector}", RouteAccess.open());
        rules.put("GET /prometheus", RouteAccess.admin());
        rules.put("GET /metrics", RouteAccess.admin());
        rules.put("GET /metrics/{name}", RouteAccess.admin());
        // what Micronaut's management exposes beyond those: the admins' alone
        for (String admin : new String[]{"/info", "/beans", "/routes", "/threaddump", "/loggers", "/loggers/{name}",
                "/env", "/env/{name}", "/caches", "/caches/{name}", "/refresh", "/stop", "/token_info"}) {
            rules.put("GET " + admin, RouteAccess.admin());
        }
        rules.put("POST /loggers/{name}", RouteAccess.admin());
        rules.put("POST /refresh", RouteAccess.admin());
        rules.put("POST /stop", RouteAccess.admin());
        rules.put("POST /token_info", RouteAccess.admin());
        return rules;
    }
}
