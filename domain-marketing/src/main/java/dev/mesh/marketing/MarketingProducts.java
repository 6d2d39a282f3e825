package dev.mesh.marketing;

import dev.mesh.schemas.Products;
import dev.mesh.schemas.finance.ordersettlements.v1.Settlement;
import dev.mesh.schemas.marketing.campaignattribution.v1.Attribution;
import dev.mesh.schemas.marketing.campaignperformance.v1.Performance;
import dev.mesh.schemas.marketing.campaigns.v1.Campaign;
import dev.mesh.schemas.marketing.campaigntouches.v1.Touch;
import dev.mesh.schemas.sales.orders.v1.Order;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.contract.ContractLoader;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.publish.Publisher;
import dev.mesh.sdk.streams.ProductStreams;
import dev.mesh.service.StreamsApps;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;

/**
 * What marketing publishes (marketing.campaigns, marketing.campaign-touches) and derives:
 * marketing.campaign-attribution (sales.orders credited to campaign touches) and marketing.campaign-performance
 * (attribution, finance.order-settlements and campaigns), each by its own exactly-once Streams app.
 */
@Requires(env = MarketingApplication.ENV)
@Context
public final class MarketingProducts {
    public static final String ATTRIBUTION_APP = "marketing-campaign-attribution";
    public static final String PERFORMANCE_APP = "marketing-campaign-performance";

    private final Publisher<Campaign> campaigns;
    private final Publisher<Touch> touches;

    MarketingProducts(Mesh mesh, StreamsApps apps) {
        ProductContract orders = ContractLoader.loadResource(Products.SALES_ORDERS);
        ProductContract settlements = ContractLoader.loadResource(Products.FINANCE_ORDER_SETTLEMENTS);
        ProductContract campaignsContract = ContractLoader.loadResource(Products.MARKETING_CAMPAIGNS);
        ProductContract touchesContract = ContractLoader.loadResource(Products.MARKETING_CAMPAIGN_TOUCHES);
        ProductContract attributionContract = ContractLoader.loadResource(Products.MARKETING_CAMPAIGN_ATTRIBUTION);
        ProductContract performanceContract = ContractLoader.loadResource(Products.MARKETING_CAMPAIGN_PERFORMANCE);
        this.campaigns = mesh.publisher(campaignsContract, Campaign.class);
        this.touches = mesh.publisher(touchesContract, Touch.class);

        ProductStreams attribute = mesh.streams(ATTRIBUTION_APP);
        KStream<String, Attribution> attributions = MarketingTopologies.attribution(
                attribute.stream(orders, Order.class), attribute.stream(touchesContract, Touch.class),
                touchesContract.topic().partitions(), attribute::stateSerde);
        attribute.to(attributions, attributionContract, Attribution.class);
        apps.register(ATTRIBUTION_APP, attribute.build());

        ProductStreams perform = mesh.streams(PERFORMANCE_APP);
        KTable<String, Performance> performance = MarketingTopologies.performance(
                perform.table(attributionContract, Attribution.class), perform.table(settlements, Settlement.class),
                perform.table(campaignsContract, Campaign.class), perform::stateSerde);
        perform.to(performance.toStream(), performanceContract, Performance.class);
        apps.register(PERFORMANCE_APP, perform.build());
    }


    public Publisher<Campaign> campaigns() {
        return campaigns;
    }

    public Publisher<Touch> touches() {
        return touches;
    }

    @PreDestroy
    void close() {
        campaigns.close();
        touches.close();
    }
}
