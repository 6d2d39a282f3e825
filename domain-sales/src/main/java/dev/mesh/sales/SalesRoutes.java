package dev.mesh.sales;

import dev.mesh.schemas.SalesProducts;
import dev.mesh.service.security.MeshSecurity;
import dev.mesh.service.security.ProductRoutes;
import dev.mesh.service.security.RouteAccess;
import dev.mesh.service.security.RouteRules;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.Map;

/** Who may use the routes of {@link SalesController}, as the one access decision says. */
@Singleton
@Requires(env = SalesDomain.ENV)
@Requires(property = MeshSecurity.REALM)
final class SalesRoutes implements RouteRules {
    private final ProductRoutes products;

    SalesRoutes(ProductRoutes products) {
        this.products = products;
    }

    @Override
    public Map<String, RouteAccess> rules() {
        return Map.of(
                "POST /customers", products.write(SalesProducts.CUSTOMERS),
                "POST /orders", products.write(SalesProducts.ORDERS));
    }
}
