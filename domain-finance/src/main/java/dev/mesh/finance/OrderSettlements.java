package dev.mesh.finance;

import dev.mesh.schemas.FinanceProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.finance.ordersettlements.v1.Settlement;
import dev.mesh.sdk.Derivation;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.ProductStreams;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.kstream.KStream;

/** finance.order-settlements: sales.orders joined with finance.payments, see {@link FinanceTopologies#settlements}. */
@Singleton
final class OrderSettlements implements Derivation<Settlement> {
    @Override
    public Product<Settlement> product() {
        return FinanceProducts.ORDER_SETTLEMENTS;
    }

    @Override
    public KStream<String, Settlement> derive(ProductStreams in) {
        return FinanceTopologies.settlements(in.table(SalesProducts.ORDERS_V2), in.stream(FinanceProducts.PAYMENTS), in).toStream();
    }
}
