package dev.mesh.service;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.access.AccessDecision;
import dev.mesh.sdk.access.DomainGrants;
import dev.mesh.service.security.MeshSecurity;
import dev.mesh.service.security.ProductRoutes;
import dev.mesh.service.security.RouteAccess;
import dev.mesh.service.security.RouteRules;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A domain service's doors: the one {@link AccessDecision} over every contract and the active grants on the domain's
 * products ({@code _mesh.grants.<domain>}, followed as it changes), and the rules of the
 * routes every domain service has.
 */
@Requires(env = DomainService.ENV)
@Factory
final class DomainAccess {

    @Singleton
    AccessDecision decision(DomainGrants grants, @Value("${mesh.domain}") String domain) {
        return new AccessDecision(Product.all().stream().map(Product::contract).toList(), () -> grants.current(domain), Clock.systemUTC());
    }

    @Singleton
    @Bean(preDestroy = "close")
    DomainGrants grants(Mesh mesh, @Value("${mesh.domain}") String domain) {
        return DomainGrants.of(mesh.kafkaProperties(), domain);
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
