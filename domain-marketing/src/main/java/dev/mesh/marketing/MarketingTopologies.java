package dev.mesh.marketing;

import dev.mesh.schemas.MarketingProducts;
import dev.mesh.marketing.state.CampaignTotals;
import dev.mesh.marketing.state.OrderCredit;
import dev.mesh.schemas.finance.ordersettlements.v1.Settlement;
import dev.mesh.schemas.marketing.campaignattribution.v1.Attribution;
import dev.mesh.schemas.marketing.campaignperformance.v1.Performance;
import dev.mesh.schemas.marketing.campaigns.v1.Campaign;
import dev.mesh.schemas.marketing.campaigntouches.v1.Touch;
import dev.mesh.schemas.sales.orders.v1.Order;
import dev.mesh.sdk.StateSerdes;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.Set;

/**
 * The marketing derived products as Kafka Streams topologies over any sources, so tests can drive them with
 * TopologyTestDriver and the service with real products.
 */
public final class MarketingTopologies {
    public static final String TOUCH_HISTORY_STORE = "touch-history";
    public static final String RECENT_ORDERS_STORE = "recent-orders";
    public static final String TOTALS_STORE = "campaign-totals";

    private MarketingTopologies() {
    }


    /**
     * Each order attributed to its customer's last touch in the 7 days before it was placed, by event time: a touch
     * that arrives after the order it explains publishes the order again, attributed; unattributed orders are
     * published too. Orders are re-keyed by customer onto as many partitions as touches have, so a customer's
     * orders and touches meet in one task (see {@link CampaignAttributor}). Keyed by orderId.
     */
    public static KStream<String, Attribution> attribution(KStream<String, Order> orders, KStream<String, Touch> touches,
                                                           int touchPartitions, StateSerdes serdes) {
        Set<StoreBuilder<?>> stores = CampaignAttributor.stores(serdes);
        KStream<String, Attribution> byOrders = orders
                .filter((orderId, order) -> order != null, Named.as("orders-present"))
                .map((orderId, order) -> KeyValue.pair(order.getCustomerId(), AttributionRules.unattributed(order)),
                        Named.as("orders-by-customer-key"))
                .repartition(Repartitioned.<String, Attribution>as("orders-by-customer")
                        .withKeySerde(Serdes.String()).withValueSerde(serdes.of(Attribution.class))
                        .withNumberOfPartitions(touchPartitions))
                .process(CampaignAttributor.supplier(CampaignAttributor.OnOrder::new, stores), Named.as("attribute-orders"));
        KStream<String, Attribution> byTouches = touches
                .filter((customerId, touch) -> touch != null, Named.as("touches-present"))
                .process(CampaignAttributor.supplier(CampaignAttributor.OnTouch::new, stores), Named.as("reattribute-on-touches"));
        return byOrders.merge(byTouches, Named.as("attributions"));
    }

    /**
     * Per campaign: its attributed orders joined with their settlements, summed, and joined with the campaign's
     * definition. Re-grouping a table subtracts an order's old credit and adds its new one, so a refund, or an order
     * attributed anew to another campaign, corrects the sums; a renamed campaign is published again.
     */
    public static KTable<String, Performance> performance(KTable<String, Attribution> attributions,
                                                          KTable<String, Settlement> settlements,
                                                          KTable<String, Campaign> campaigns, StateSerdes serdes) {
        KTable<String, CampaignTotals> totals = attributions
                .filter((orderId, a) -> PerformanceRules.attributed(a), Named.as("attributed-orders"))
                .leftJoin(settlements, PerformanceRules::credit, Named.as("order-credits"))
                .groupBy((orderId, credit) -> KeyValue.pair(credit.getCampaignId(), credit),
                        Grouped.with("credits-by-campaign", Serdes.String(), serdes.of(OrderCredit.class)))
                .aggregate(PerformanceRules::emptyTotals,
                        (campaignId, credit, sums) -> PerformanceRules.add(campaignId, sums, credit, 1),
                        (campaignId, credit, sums) -> PerformanceRules.add(campaignId, sums, credit, -1),
                        Materialized.<String, CampaignTotals, KeyValueStore<Bytes, byte[]>>as(TOTALS_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(serdes.of(CampaignTotals.class)));
        return totals.outerJoin(campaigns, PerformanceRules::performance,
                serdes.store(MarketingProducts.CAMPAIGN_PERFORMANCE));
    }
}
