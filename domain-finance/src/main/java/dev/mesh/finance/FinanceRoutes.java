package dev.mesh.finance;

import dev.mesh.schemas.FinanceProducts;
import dev.mesh.service.security.MeshSecurity;
import dev.mesh.service.security.ProductRoutes;
import dev.mesh.service.security.RouteAccess;
import dev.mesh.service.security.RouteRules;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.Map;

/** Who may use the routes of {@link FinanceController}, as the one access decision says. */
@Singleton
@Requires(env = FinanceDomain.ENV)
@Requires(property = MeshSecurity.REALM)
final class FinanceRoutes implements RouteRules {
    private final ProductRoutes products;

    FinanceRoutes(ProductRoutes products) {
        this.products = products;
    }

    @Override
    public Map<String, RouteAccess> rules() {
        return Map.of(
                "POST /payments", products.write(FinanceProducts.PAYMENTS),
                "GET /settlements/{orderId}", products.read(FinanceProducts.ORDER_SETTLEMENTS),
                "GET /revenue-daily/{currency}/{day}", products.read(FinanceProducts.REVENUE_DAILY));
    }
}
