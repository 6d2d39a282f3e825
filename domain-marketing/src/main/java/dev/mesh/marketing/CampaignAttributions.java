package dev.mesh.marketing;

import dev.mesh.schemas.MarketingProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.marketing.campaignattribution.v1.Attribution;
import dev.mesh.sdk.Derivation;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.ProductStreams;
import jakarta.inject.Singleton;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.Set;

/**
 * marketing.campaign-attribution: each order of sales.orders attributed to its customer's last touch in the 7 days
 * before it was placed, by event time. A touch that arrives after the order it explains publishes the order again,
 * attributed; unattributed orders are published too. Orders are re-keyed by customer onto as many partitions as
 * touches have, so a customer's orders and touches meet in one task ({@link CampaignAttributor}). Keyed by orderId.
 */
@Singleton
final class CampaignAttributions implements Derivation<Attribution> {
    @Override
    public Product<Attribution> product() {
        return MarketingProducts.CAMPAIGN_ATTRIBUTION;
    }

    @Override
    public KStream<String, Attribution> derive(ProductStreams in) {
        Set<StoreBuilder<?>> stores = CampaignAttributor.stores(in);
        KStream<String, Attribution> byOrders = in.stream(SalesProducts.ORDERS)
                .filter((orderId, order) -> order != null, Named.as("orders-present"))
                .map((orderId, order) -> KeyValue.pair(order.getCustomerId(), AttributionRules.unattributed(order)),
                        Named.as("orders-by-customer-key"))
                .repartition(Repartitioned.<String, Attribution>as("orders-by-customer")
                        .withKeySerde(Serdes.String()).withValueSerde(in.of(Attribution.class))
                        .withNumberOfPartitions(MarketingProducts.CAMPAIGN_TOUCHES.contract().topic().partitions()))
                .process(CampaignAttributor.supplier(CampaignAttributor.OnOrder::new, stores), Named.as("attribute-orders"));
        KStream<String, Attribution> byTouches = in.stream(MarketingProducts.CAMPAIGN_TOUCHES)
                .filter((customerId, touch) -> touch != null, Named.as("touches-present"))
                .process(CampaignAttributor.supplier(CampaignAttributor.OnTouch::new, stores), Named.as("reattribute-on-touches"));
        return byOrders.merge(byTouches, Named.as("attributions"));
    }
}
