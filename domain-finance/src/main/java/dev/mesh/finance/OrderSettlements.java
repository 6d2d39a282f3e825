package dev.mesh.finance;

import dev.mesh.finance.state.PaymentLedger;
import dev.mesh.schemas.FinanceProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.finance.ordersettlements.v1.Settlement;
import dev.mesh.schemas.finance.payments.v1.Payment;
import dev.mesh.schemas.sales.orders.v2.Order;
import dev.mesh.sdk.Derivation;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.ProductStreams;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;

/**
 * finance.order-settlements: each order (a table, latest per order) left-joined with its payment ledger, so there is
 * one settlement per order, updated whenever the order or a new payment arrives; payments before their order wait
 * for it. How payments settle an order is {@link SettlementRules}.
 */
@Singleton
final class OrderSettlements implements Derivation<Settlement> {
    @Override
    public Product<Settlement> product() {
        return FinanceProducts.ORDER_SETTLEMENTS;
    }

    @Override
    public KStream<String, Settlement> derive(ProductStreams in) {
        KTable<String, Order> orders = in.table(SalesProducts.ORDERS_V2);
        KTable<String, PaymentLedger> ledgers = in.stream(FinanceProducts.PAYMENTS)
                .groupByKey(in.grouped("payments-by-order", Payment.class))
                .aggregate(SettlementRules::emptyLedger, (orderId, payment, ledger) -> SettlementRules.apply(ledger, payment),
                        in.store("payment-ledgers", PaymentLedger.class));
        return orders.leftJoin(ledgers, SettlementRules::settle, in.store(FinanceProducts.ORDER_SETTLEMENTS)).toStream();
    }
}
