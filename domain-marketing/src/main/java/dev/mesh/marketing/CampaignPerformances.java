package dev.mesh.marketing;

import dev.mesh.schemas.FinanceProducts;
import dev.mesh.schemas.MarketingProducts;
import dev.mesh.schemas.marketing.campaignperformance.v1.Performance;
import dev.mesh.sdk.Derivation;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.ProductStreams;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.kstream.KStream;

/**
 * marketing.campaign-performance: attribution, finance.order-settlements and campaigns, see
 * {@link MarketingTopologies#performance}.
 */
@Singleton
final class CampaignPerformances implements Derivation<Performance> {
    @Override
    public Product<Performance> product() {
        return MarketingProducts.CAMPAIGN_PERFORMANCE;
    }

    @Override
    public KStream<String, Performance> derive(ProductStreams in) {
        return MarketingTopologies.performance(in.table(MarketingProducts.CAMPAIGN_ATTRIBUTION),
                in.table(FinanceProducts.ORDER_SETTLEMENTS), in.table(MarketingProducts.CAMPAIGNS), in).toStream();
    }
}
