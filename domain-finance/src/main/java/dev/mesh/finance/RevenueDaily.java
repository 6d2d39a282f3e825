package dev.mesh.finance;

import dev.mesh.schemas.FinanceProducts;
import dev.mesh.schemas.finance.revenuedaily.v1.RevenueDay;
import dev.mesh.sdk.Derivation;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.ProductStreams;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.kstream.KStream;

/** finance.revenue-daily: paid revenue per currency and day from the settlements, see {@link FinanceTopologies#revenueDaily}. */
@Singleton
final class RevenueDaily implements Derivation<RevenueDay> {
    @Override
    public Product<RevenueDay> product() {
        return FinanceProducts.REVENUE_DAILY;
    }

    @Override
    public KStream<String, RevenueDay> derive(ProductStreams in) {
        return FinanceTopologies.revenueDaily(in.table(FinanceProducts.ORDER_SETTLEMENTS), in).toStream();
    }
}
