package dev.mesh.service.security;

import dev.mesh.sdk.access.AccessDecision;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.security.rules.SensitiveEndpointRule;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.UriRouteMatch;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mesh's one rule for its HTTP services, before any other: the route a request matched (by Micronaut's router, so
 * on the decoded path, with its variables as the controller will see them; HEAD as the GET it answers) is looked up in
 * the service's {@link RouteRules}, and what its {@link RouteAccess} says goes. A request that matched no route with a
 * rule, static resources aside, is refused: a new route without a rule cannot open a door.
 */
@Singleton
@Requires(property = MeshSecurity.REALM)
public final class MeshAccessRule implements SecurityRule<HttpRequest<?>> {
    /** The attribute carrying why a request was refused, for {@link ConfluentAuthorizationErrors}. */
    static final String REFUSAL = "mesh.security.refusal";
    /** The attribute carrying whom a request was decided for ({@code User:<name>}): see {@link #effectivePrincipal}. */
    public static final String DECIDED_FOR = "mesh.security.principal";
    /** Sent by a peer of the service (another instance) that passes on a request it decided for this principal. */
    public static final String ON_BEHALF_OF = "Mesh-On-Behalf-Of";

    private final Map<String, RouteAccess> rules = new LinkedHashMap<>();
    private final io.micronaut.web.router.Router router;
    /** The service's own principal, whose instances pass requests on to each other; empty where they do not. */
    private final Optional<String> peer;

    MeshAccessRule(List<RouteRules> all, io.micronaut.web.router.Router router,
                   @io.micronaut.context.annotation.Value("${mesh.security.peer-principal:}") String peer) {
        this.router = router;
        this.peer = Optional.of(peer).filter(p -> !p.isBlank());
        for (RouteRules r : all) {
            r.rules().forEach((route, access) -> {
                if (rules.put(route, access) != null) {
                    throw new IllegalStateException("two access rules for route " + route);
                }
            });
        }
    }

    /** Every route with a rule, and what it asks: for the route enumeration test and for people. */
    public Map<String, RouteAccess> rules() {
        return java.util.Collections.unmodifiableMap(rules);
    }

    @Override
    public Publisher<SecurityRuleResult> check(HttpRequest<?> request, Authentication principal) {
        Optional<String> route = routeOf(request).or(() -> staticResource(request));
        RouteAccess access = route.map(rules::get).orElse(null);
        if (route.isEmpty() && principal != null && noRouteAt(request)) {
            return Publishers.just(SecurityRuleResult.ALLOWED); // nothing here: the principal is told 404
        }
        if (access == null) {
            request.setAttribute(REFUSAL, "no access rule for " + request.getMethodName() + " " + request.getPath()
                    + (route.isPresent() ? " (route " + route.get() + ")" : ""));
            return Publishers.just(SecurityRuleResult.REJECTED);
        }
        if (access.anyone()) {
            return Publishers.just(SecurityRuleResult.ALLOWED);
        }
        if (principal == null) {
            return Publishers.just(SecurityRuleResult.REJECTED);
        }
        String decidedFor = effectivePrincipal(request, principal);
        request.setAttribute(DECIDED_FOR, decidedFor);
        AccessDecision.Verdict verdict = access.check(decidedFor, variables(request), request);
        if (!verdict.allowed()) {
            request.setAttribute(REFUSAL, verdict.explanation());
            return Publishers.just(SecurityRuleResult.REJECTED);
        }
        return Publishers.just(SecurityRuleResult.ALLOWED);
    }

    /** {@code "<METHOD> <template>"} of the route the request matched, or of a static resource mapping. */
    static Optional<String> routeOf(HttpRequest<?> request) {
        var match = RouteAttributes.getRouteMatch(request).orElse(null);
        if (match instanceof UriRouteMatch<?, ?> uri) {
            HttpMethod method = uri.getRouteInfo().getHttpMethod();
            return Optional.of((method == HttpMethod.HEAD ? HttpMethod.GET : method) + " " + template(uri.getRouteInfo().getUriMatchTemplate().toString()));
        }
        return Optional.empty();
    }

    /**
     * A request no route matched may be for a static resource: the rule {@code GET <prefix>/**} whose prefix the path
     * starts with, for a plain path (no dot segments, no escapes).
     */
    private Optional<String> staticResource(HttpRequest<?> request) {
        HttpMethod method = request.getMethod() == HttpMethod.HEAD ? HttpMethod.GET : request.getMethod();
        String path = request.getPath();
        if (method != HttpMethod.GET || path.contains("..") || path.contains("%") || path.contains("\\")) {
            return Optional.empty();
        }
        return rules.keySet().stream().filter(r -> r.startsWith("GET ") && r.endsWith("/**"))
                .filter(r -> path.startsWith(r.substring(4, r.length() - 2))).findFirst();
    }

    /**
     * Whom to decide for: the signed-in principal, except that a peer of the service (another instance, signed in as
     * the service's own principal) passing a request on names the principal it was made by. Nobody else may name one.
     */
    private String effectivePrincipal(HttpRequest<?> request, Authentication principal) {
        Optional<String> onBehalf = request.getHeaders().findFirst(ON_BEHALF_OF).filter(v -> v.matches("User:[A-Za-z0-9._@-]{1,100}"));
        if (onBehalf.isPresent() && peer.filter(p -> p.equals(principal.getName())).isPresent()) {
            return onBehalf.get();
        }
        return "User:" + principal.getName();
    }

    /** Whether the request was passed on by a peer of the service (see {@link #effectivePrincipal}). */
    public static boolean fromPeer(HttpRequest<?> request, String peerPrincipal) {
        return request.getUserPrincipal().map(java.security.Principal::getName).filter(peerPrincipal::equals).isPresent();
    }

    /** Whether no route of the service answers this path with any method (asked of the router itself). */
    private boolean noRouteAt(HttpRequest<?> request) {
        for (HttpMethod method : HttpMethod.values()) {
            if (method != HttpMethod.CUSTOM && router.find(method, request.getPath(), request).findAny().isPresent()) {
                return false;
            }
        }
        return true;
    }

    /** The route's path template without its query variables: {@code /access{?product}} is {@code /access}. */
    static String template(String template) {
        int query = template.indexOf("{?");
        int more = template.indexOf("{&");
        int cut = query < 0 ? more : more < 0 ? query : Math.min(query, more);
        String path = cut < 0 ? template : template.substring(0, cut);
        return path.isEmpty() ? "/" : path;
    }

    private static Map<String, String> variables(HttpRequest<?> request) {
        Map<String, String> out = new LinkedHashMap<>();
        RouteAttributes.getRouteMatch(request).filter(m -> m instanceof UriRouteMatch).map(m -> (UriRouteMatch<?, ?>) m)
                .ifPresent(m -> m.getVariableValues().forEach((k, v) -> out.put(k, String.valueOf(v))));
        return out;
    }

    /** Before Micronaut's own rules, so every request is decided here. */
    @Override
    public int getOrder() {
        return SensitiveEndpointRule.ORDER - 100;
    }
}
