package dev.mesh.registry.security;

import dev.mesh.registry.RegistryApplication;
import dev.mesh.sdk.access.AccessDecision;
import dev.mesh.sdk.access.DomainGrants;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.service.security.MeshSecurity;
import dev.mesh.service.security.RouteAccess;
import dev.mesh.service.security.RouteRules;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may use the DEK Registry: a product's data key is released (any GET of a DEK) only to whom the one access
 * decision lets see its PII: its owner, an admin, a principal holding an active grant that includes PII (from the
 * product's domain's grants, {@code _mesh.grants.<domain>}). A grant
 * revoked stops the next fetch once its record is polled (the grants topics are followed). KEKs and the
 * list of subjects are metadata for every principal; a domain makes and deletes the keys of its own subjects and the
 * KEKs named {@code <domain>-...}; permanent deletes are for admins.
 */
@Singleton
@Requires(env = RegistryApplication.ENV)
@Requires(property = MeshSecurity.REALM)
public final class DekRoutes implements RouteRules {
    private static final String BASE = "/dek-registry/v1/keks";
    private static final String VALUE_SUFFIX = "-value";
    private final DomainGrants grants;
    private final java.util.function.Function<String, AccessDecision> decisions;

    DekRoutes(Environment env) {
        Map<String, Object> kafka = new HashMap<>(env.getProperties("kafka", StringConvention.RAW));
        // a product's grants are mirrored to its domain's grants topic, and believed only from there
        this.grants = DomainGrants.all(kafka);
        this.decisions = domain -> new AccessDecision(List.of(), () -> grants.current(domain), Clock.systemUTC());
    }

    @jakarta.annotation.PreDestroy
    void close() {
        grants.close();
    }

    @Override
    public Map<String, RouteAccess> rules() {
        Map<String, RouteAccess> r = new LinkedHashMap<>();
        RouteAccess anyone = RouteAccess.signedIn();
        r.put("GET " + BASE, anyone);
        r.put("GET " + BASE + "/{name}", anyone);
        r.put("GET " + BASE + "/{name}/deks", anyone);
        r.put("GET " + BASE + "/{name}/deks/{subject}/versions", anyone);
        // the name is in the body, out of a route's sight: the controller asks kekOwner once it has read it
        r.put("POST " + BASE, anyone);
        for (String kek : new String[]{"PUT " + BASE + "/{name}", "POST " + BASE + "/{name}/undelete"}) {
            r.put(kek, RouteAccess.decided("the KEK's domain", (p, v, request) -> kekOwner(p, v.get("name"), "change KEK")));
        }
        r.put("DELETE " + BASE + "/{name}", RouteAccess.decided("the KEK's domain; permanently, admins", (p, v, request) ->
                RegistryRoutes.permanent(request) && !AccessDecision.isAdmin(p) ? RegistryRoutes.refused(p + " may not delete permanently; only an admin may")
                        : kekOwner(p, v.get("name"), "delete KEK")));
        RouteAccess release = RouteAccess.decided("the product's owner, admins and PII grants", (p, v, request) -> release(p, v.get("subject")));
        r.put("GET " + BASE + "/{name}/deks/{subject}", release);
        r.put("GET " + BASE + "/{name}/deks/{subject}/versions/{version}", release);
        // the KEK's too: keys another domain made under a KEK would keep its owner from deleting it
        RouteAccess subjectOwner = RouteAccess.decided("the subject's domain, under its own KEK", (p, v, request) -> {
            AccessDecision.Verdict kek = kekOwner(p, v.get("name"), "make keys under");
            return kek.allowed() ? RegistryRoutes.owner(p, v.get("subject"), "make keys for") : kek;
        });
        r.put("POST " + BASE + "/{name}/deks/{subject}", subjectOwner);
        r.put("POST " + BASE + "/{name}/deks/{subject}/undelete", subjectOwner);
        r.put("POST " + BASE + "/{name}/deks/{subject}/versions/{version}/undelete", subjectOwner);
        // the subject is in the body, out of a route's sight: admins only (Confluent's clients use it after a 405)
        r.put("POST " + BASE + "/{name}/deks", RouteAccess.admin());
        RouteAccess deletion = RouteAccess.decided("the subject's domain; permanently, admins", (p, v, request) ->
                RegistryRoutes.permanent(request) && !AccessDecision.isAdmin(p) ? RegistryRoutes.refused(p + " may not delete permanently; only an admin may")
                        : RegistryRoutes.owner(p, v.get("subject"), "delete keys of"));
        r.put("DELETE " + BASE + "/{name}/deks/{subject}", deletion);
        r.put("DELETE " + BASE + "/{name}/deks/{subject}/versions/{version}", deletion);
        return r;
    }

    /** A product's key goes to whom may see its PII; another subject's to its domain. */
    private AccessDecision.Verdict release(String principal, String subject) {
        if (principal.equals(dev.mesh.sdk.security.MeshPrincipals.principal(dev.mesh.sdk.security.MeshPrincipals.CATALOG))) {
            // the catalog (and SQL in it) shows each caller what the one access decision lets it reveal, masked otherwise
            return RegistryRoutes.allowed();
        }
        if (subject != null && subject.endsWith(VALUE_SUFFIX)) {
            String topic = subject.substring(0, subject.length() - VALUE_SUFFIX.length());
            var product = Naming.parseTopic(topic);
            if (product.isPresent()) {
                return decisions.apply(product.get().product().domain()).reveal(principal, topic);
            }
        }
        return RegistryRoutes.owner(principal, subject, "read the keys of");
    }

    /** A KEK named {@code <domain>-...} belongs to that domain; others to admins. */
    public static AccessDecision.Verdict kekOwner(String principal, String kek, String what) {
        if (AccessDecision.isAdmin(principal)) {
            return RegistryRoutes.allowed();
        }
        int dash = kek == null ? -1 : kek.indexOf('-');
        if (dash > 0 && principal.equals("User:" + kek.substring(0, dash))) {
            return RegistryRoutes.allowed();
        }
        return RegistryRoutes.refused(principal + " may not " + what + " " + kek + ": a domain's KEKs are named '<domain>-...'; others belong to admins");
    }
}
