package dev.mesh.marketing;

import dev.mesh.schemas.MarketingProducts;
import dev.mesh.service.security.MeshSecurity;
import dev.mesh.service.security.ProductRoutes;
import dev.mesh.service.security.RouteAccess;
import dev.mesh.service.security.RouteRules;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.Map;

/** Who may use the routes of {@link MarketingController}, as the one access decision says. */
@Singleton
@Requires(env = MarketingDomain.ENV)
@Requires(property = MeshSecurity.REALM)
final class MarketingRoutes implements RouteRules {
    private final ProductRoutes products;

    MarketingRoutes(ProductRoutes products) {
        this.products = products;
    }

    @Override
    public Map<String, RouteAccess> rules() {
        return Map.of(
                "POST /campaigns", products.write(MarketingProducts.CAMPAIGNS),
                "POST /touches", products.write(MarketingProducts.CAMPAIGN_TOUCHES),
                "GET /campaigns/{campaignId}/performance", products.read(MarketingProducts.CAMPAIGN_PERFORMANCE));
    }
}
