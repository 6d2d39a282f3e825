package dev.mesh.service.security;

import dev.mesh.sdk.Product;
import dev.mesh.sdk.access.AccessPlan;
import dev.mesh.sdk.security.MeshPrincipals;
import dev.mesh.service.DomainService;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lookup by key ({@code GET /products/<name>/<key>}) serves a derived product's records, so it answers those
 * who may read the product's topic: the readers its contract and classification name (the same as its ACLs),
 * the catalog and admins.
 */
@Singleton
@Requires(env = DomainService.ENV)
@Requires(property = MeshSecurity.REALM)
final class LookupReadAccess implements RequestAccess {
    private static final Pattern LOOKUP = Pattern.compile("/products/([^/]+)/.+");

    private final String domain;
    /** The readers of each of the domain's products, by its name in the path: computed once, not per request. */
    private final Map<String, Set<String>> readers = new HashMap<>();

    LookupReadAccess(@Value("${mesh.domain}") String domain) {
        this.domain = domain;
        Set<String> domains = new TreeSet<>();
        Product.all().forEach(p -> domains.add(p.id().domain()));
        Product.all().stream().filter(p -> p.id().domain().equals(domain))
                .forEach(p -> readers.put(p.name(), AccessPlan.readers(p.contract(), domains)));
    }

    @Override
    public Optional<String> refusal(HttpRequest<?> request, Authentication principal) {
        Matcher lookup = LOOKUP.matcher(request.getPath());
        if (request.getMethod() != HttpMethod.GET || !lookup.matches() || RequestAccess.isAdmin(principal)
                || principal.getName().equals(MeshPrincipals.CATALOG)) {
            return Optional.empty();
        }
        return Optional.ofNullable(readers.get(lookup.group(1)))
                .filter(readers -> !readers.contains("User:*") && !readers.contains(MeshPrincipals.principal(principal.getName())))
                .map(readers -> "User:" + principal.getName() + " may not read " + domain + "." + lookup.group(1)
                        + ": its contract lets " + readers + " read it");
    }
}
