package dev.mesh.finance;

import dev.mesh.schemas.FinanceProducts;
import dev.mesh.sdk.access.AccessDecision;
import dev.mesh.service.security.MeshSecurity;
import dev.mesh.service.security.ProductRoutes;
import dev.mesh.service.security.RouteAccess;
import dev.mesh.service.security.RouteRules;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.Map;

/** Who may use the routes of {@link FinanceController}, as the one access decision says. */
@Singleton
@Requires(env = FinanceApplication.ENV)
@Requires(property = MeshSecurity.REALM)
final class FinanceRoutes implements RouteRules {
    private final AccessDecision decision;

    FinanceRoutes(AccessDecision decision) {
        this.decision = decision;
    }

    @Override
    public Map<String, RouteAccess> rules() {
        return Map.of(
                "POST /payments", ProductRoutes.write(decision, FinanceProducts.PAYMENTS),
                "GET /settlements/{orderId}", ProductRoutes.read(decision, FinanceProducts.ORDER_SETTLEMENTS),
                "GET /revenue-daily/{currency}/{day}", ProductRoutes.read(decision, FinanceProducts.REVENUE_DAILY));
    }
}
