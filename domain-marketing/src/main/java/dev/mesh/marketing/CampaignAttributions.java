package dev.mesh.marketing;

import dev.mesh.schemas.MarketingProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.marketing.campaignattribution.v1.Attribution;
import dev.mesh.sdk.Derivation;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.ProductStreams;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.kstream.KStream;

/** marketing.campaign-attribution: sales.orders credited to campaign touches, see {@link MarketingTopologies#attribution}. */
@Singleton
final class CampaignAttributions implements Derivation<Attribution> {
    @Override
    public Product<Attribution> product() {
        return MarketingProducts.CAMPAIGN_ATTRIBUTION;
    }

    @Override
    public KStream<String, Attribution> derive(ProductStreams in) {
        return MarketingTopologies.attribution(in.stream(SalesProducts.ORDERS), in.stream(MarketingProducts.CAMPAIGN_TOUCHES),
                MarketingProducts.CAMPAIGN_TOUCHES.contract().topic().partitions(), in);
    }
}
