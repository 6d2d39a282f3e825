package dev.mesh.registry.security;

import dev.mesh.registry.RegistryApplication;
import dev.mesh.sdk.access.AccessDecision;
import dev.mesh.service.security.MeshSecurity;
import dev.mesh.service.security.RouteAccess;
import dev.mesh.service.security.RouteRules;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who may use the registry's routes: reads, lookups and compatibility tests are for every principal of the mesh; a
 * subject under {@code <domain>.} is registered, deleted and configured by that domain (or an admin); the global
 * compatibility and mode, and permanent deletes, by admins only.
 */
@Singleton
@Requires(env = RegistryApplication.ENV)
@Requires(property = MeshSecurity.REALM)
final class RegistryRoutes implements RouteRules {

    @Override
    public Map<String, RouteAccess> rules() {
        Map<String, RouteAccess> r = new LinkedHashMap<>();
        RouteAccess anyone = RouteAccess.signedIn();
        for (String read : new String[]{"/", "/schemas/types", "/schemas/ids/{id}", "/schemas/ids/{id}/schema",
                "/schemas/ids/{id}/subjects", "/schemas/ids/{id}/versions", "/subjects", "/subjects/{subject}/versions",
                "/subjects/{subject}/versions/{version}", "/subjects/{subject}/versions/{version}/schema",
                "/subjects/{subject}/versions/{version}/referencedby", "/config", "/config/{subject}", "/mode", "/mode/{subject}"}) {
            r.put("GET " + read, anyone);
        }
        r.put("POST /subjects/{subject}", anyone); // a lookup
        r.put("POST /compatibility/subjects/{subject}/versions", anyone);
        r.put("POST /compatibility/subjects/{subject}/versions/{version}", anyone);
        r.put("POST /subjects/{subject}/versions", subjectOwner("register under"));
        r.put("DELETE /subjects/{subject}", deletion());
        r.put("DELETE /subjects/{subject}/versions/{version}", deletion());
        r.put("PUT /config/{subject}", subjectOwner("configure"));
        r.put("DELETE /config/{subject}", subjectOwner("configure"));
        r.put("PUT /mode/{subject}", subjectOwner("set the mode of"));
        r.put("DELETE /mode/{subject}", subjectOwner("set the mode of"));
        r.put("PUT /config", globally("change the global config"));
        r.put("DELETE /config", globally("change the global config"));
        r.put("PUT /mode", globally("change the global mode"));
        return r;
    }

    private static RouteAccess globally(String what) {
        return RouteAccess.decided("admins", (p, v, request) -> AccessDecision.isAdmin(p) ? allowed()
                : refused(p + " may not " + what + "; only an admin may"));
    }

    private static RouteAccess deletion() {
        return RouteAccess.decided("the subject's domain; permanently, admins", (p, v, request) -> {
            if (permanent(request) && !AccessDecision.isAdmin(p)) {
                return refused(p + " may not delete permanently; only an admin may");
            }
            return owner(p, v.get("subject"), "delete");
        });
    }

    private static RouteAccess subjectOwner(String what) {
        return RouteAccess.decided("the subject's domain", (p, v, request) -> owner(p, v.get("subject"), what));
    }

    /** A subject under {@code <domain>.} belongs to that domain; one without a domain to admins. */
    static AccessDecision.Verdict owner(String principal, String subject, String what) {
        if (AccessDecision.isAdmin(principal)) {
            return allowed();
        }
        int dot = subject == null ? -1 : subject.indexOf('.');
        String domain = dot > 0 ? subject.substring(0, dot) : "";
        if (!domain.isEmpty() && principal.equals("User:" + domain)) {
            return allowed();
        }
        return refused(principal + " may not " + what + " subject " + subject + ": subjects under '"
                + (domain.isEmpty() ? subject : domain + ".") + "' belong to "
                + (domain.isEmpty() ? "admins" : "User:" + domain + " (or an admin)"));
    }

    static boolean permanent(HttpRequest<?> request) {
        return request.getParameters().get("permanent", String.class).map(Boolean::parseBoolean).orElse(false);
    }

    static AccessDecision.Verdict allowed() {
        return new AccessDecision.Verdict(true, "", Optional.empty());
    }

    static AccessDecision.Verdict refused(String reason) {
        return new AccessDecision.Verdict(false, reason, Optional.empty());
    }
}
