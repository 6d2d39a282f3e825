package dev.mesh.marketing;

import dev.mesh.marketing.state.CampaignTotals;
import dev.mesh.marketing.state.OrderCredit;
import dev.mesh.schemas.FinanceProducts;
import dev.mesh.schemas.MarketingProducts;
import dev.mesh.schemas.marketing.campaignperformance.v1.Performance;
import dev.mesh.sdk.Derivation;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.ProductStreams;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Named;

/**
 * marketing.campaign-performance: per campaign, its attributed orders joined with their finance.order-settlements,
 * summed, and joined with the campaign's definition. Re-grouping a table subtracts an order's old credit and adds its
 * new one, so a refund, or an order attributed anew to another campaign, corrects the sums; a renamed campaign is
 * published again. The arithmetic is {@link PerformanceRules}.
 */
@Singleton
final class CampaignPerformances implements Derivation<Performance> {
    static final String TOTALS_STORE = "campaign-totals";

    @Override
    public Product<Performance> product() {
        return MarketingProducts.CAMPAIGN_PERFORMANCE;
    }

    @Override
    public KStream<String, Performance> derive(ProductStreams in) {
        KTable<String, CampaignTotals> totals = in.table(MarketingProducts.CAMPAIGN_ATTRIBUTION)
                .filter((orderId, a) -> PerformanceRules.attributed(a), Named.as("attributed-orders"))
                .leftJoin(in.table(FinanceProducts.ORDER_SETTLEMENTS), PerformanceRules::credit, Named.as("order-credits"))
                .groupBy((orderId, credit) -> KeyValue.pair(credit.getCampaignId(), credit), in.grouped("credits-by-campaign", OrderCredit.class))
                .aggregate(PerformanceRules::emptyTotals,
                        (campaignId, credit, sums) -> PerformanceRules.add(campaignId, sums, credit, 1),
                        (campaignId, credit, sums) -> PerformanceRules.add(campaignId, sums, credit, -1),
                        in.store(TOTALS_STORE, CampaignTotals.class));
        return totals.outerJoin(in.table(MarketingProducts.CAMPAIGNS), PerformanceRules::performance,
                in.store(MarketingProducts.CAMPAIGN_PERFORMANCE)).toStream();
    }
}
