package dev.mesh.service.security;

import dev.mesh.sdk.Product;
import dev.mesh.sdk.access.AccessDecision;
import dev.mesh.sdk.contract.ProductContract;

import java.util.Optional;
import java.util.function.BiFunction;

/** Route rules over a product, all asking the one {@link AccessDecision}. */
public final class ProductRoutes {
    private ProductRoutes() {
    }

    /** Reading {@code product} (a lookup by key): its readers, by contract, classification or an active grant. */
    public static RouteAccess read(AccessDecision decision, Product<?> product) {
        return RouteAccess.decided("readers of " + product.topic(), (p, v, r) -> decision.read(p, product.contract()));
    }

    /** Publishing {@code product} (its intake): its owner or an admin. */
    public static RouteAccess write(AccessDecision decision, Product<?> product) {
        return RouteAccess.decided("the owner of " + product.topic(), (p, v, r) -> decision.write(p, product.contract()));
    }

    /**
     * Reading or writing the product of {@code domain} named by the route variable {@code variable} (its name in the
     * path, {@code orders} or {@code orders-v2}); a name that is no product of the domain is refused.
     */
    public static RouteAccess named(AccessDecision decision, String domain, String variable,
                                    BiFunction<String, ProductContract, AccessDecision.Verdict> verdict) {
        return RouteAccess.decided("by the product named in {" + variable + "}", (p, v, r) -> byName(domain, v.get(variable))
                .map(c -> verdict.apply(p, c))
                .orElseGet(() -> new AccessDecision.Verdict(false, "no product '" + printable(v.get(variable)) + "' in " + domain,
                        Optional.empty())));
    }

    private static Optional<ProductContract> byName(String domain, String name) {
        return Product.all().stream().filter(p -> p.id().domain().equals(domain) && p.name().equals(name))
                .map(Product::contract).findFirst();
    }

    private static String printable(String text) {
        String s = text == null ? "" : text.codePoints().filter(c -> c >= 0x20 && c < 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
