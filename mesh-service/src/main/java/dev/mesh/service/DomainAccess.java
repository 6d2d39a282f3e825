package dev.mesh.service;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.access.AccessDecision;
import dev.mesh.sdk.access.DomainGrants;
import dev.mesh.service.security.MeshSecurity;
import dev.mesh.service.security.ProductRoutes;
import dev.mesh.service.security.RouteAccess;
import dev.mesh.service.security.RouteRules;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A domain service's doors: the one {@link AccessDecision} over every contract and the active grants on the domain's
 * products ({@code _mesh.grants.<domain>}, read again at most every {@code mesh.grants.refresh}), and the rules of the
 * routes every domain service has.
 */
@Requires(env = DomainService.ENV)
@Factory
final class DomainAccess {

    @Singleton
    AccessDecision decision(Mesh mesh, @Value("${mesh.domain}") String domain,
                            @Value("${mesh.grants.refresh:2s}") Duration refresh) {
        DomainGrants grants = new DomainGrants(mesh.kafkaProperties(), domain, refresh, Clock.systemUTC());
        return new AccessDecision(Product.all().stream().map(Product::contract).toList(), grants::current, Clock.systemUTC());
    }

    @Singleton
    @Named("products")
    @Requires(property = MeshSecurity.REALM)
    RouteRules productRoutes(ProductRoutes products) {
        return () -> {
            Map<String, RouteAccess> rules = new LinkedHashMap<>();
            rules.put("POST /products/{name}", products.writeNamed("name"));
            rules.put("GET /products/{name}/{key}", products.readNamed("name"));
            return rules;
        };
    }
}
