package dev.mesh.service.security;

import dev.mesh.sdk.Product;
import dev.mesh.sdk.access.AccessDecision;
import dev.mesh.sdk.contract.ProductContract;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Route rules over a domain's products, all asking the one {@link AccessDecision}: what a domain's controllers name
 * for their routes, without touching the decision themselves.
 */
@Singleton
@Requires(bean = AccessDecision.class)
@Requires(property = "mesh.domain")
public final class ProductRoutes {
    private final AccessDecision decision;
    private final String domain;

    ProductRoutes(AccessDecision decision, @Value("${mesh.domain}") String domain) {
        this.decision = decision;
        this.domain = domain;
    }

    /** Reading {@code product} (a lookup by key): its readers, by contract, classification or an active grant. */
    public RouteAccess read(Product<?> product) {
        return RouteAccess.decided("readers of " + product.topic(), (p, v, r) -> decision.read(p, product.contract()));
    }

    /** Publishing {@code product} (its intake): its owner or an admin. */
    public RouteAccess write(Product<?> product) {
        return RouteAccess.decided("the owner of " + product.topic(), (p, v, r) -> decision.write(p, product.contract()));
    }

    /** Reading the domain's product named by the route variable {@code variable} ({@code orders}, {@code orders-v2}). */
    public RouteAccess readNamed(String variable) {
        return named(variable, true);
    }

    /** Publishing the domain's product named by the route variable {@code variable}. */
    public RouteAccess writeNamed(String variable) {
        return named(variable, false);
    }

    private RouteAccess named(String variable, boolean read) {
        return RouteAccess.decided("by the product named in {" + variable + "}", (p, v, r) -> byName(v.get(variable))
                .map(c -> read ? decision.read(p, c) : decision.write(p, c))
                .orElseGet(() -> new AccessDecision.Verdict(false, "no product '" + printable(v.get(variable)) + "' in " + domain,
                        Optional.empty())));
    }

    private Optional<ProductContract> byName(String name) {
        return Product.all().stream().filter(p -> p.id().domain().equals(domain) && p.name().equals(name))
                .map(Product::contract).findFirst();
    }

    private static String printable(String text) {
        String s = text == null ? "" : text.codePoints().filter(c -> c >= 0x20 && c < 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
