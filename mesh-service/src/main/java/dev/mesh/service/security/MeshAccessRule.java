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
final class MeshAccessRule implements SecurityRule<HttpRequest<?>> {
    /** The attribute carrying why a request was refused, for {@link ConfluentAuthorizationErrors}. */
    static final String REFUSAL = "mesh.security.refusal";

    private final Map<String, RouteAccess> rules = new LinkedHashMap<>();

    MeshAccessRule(List<RouteRules> all) {
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
        AccessDecision.Verdict verdict = access.check("User:" + principal.getName(), variables(request), request);
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
