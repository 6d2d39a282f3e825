package dev.mesh.finance;

import dev.mesh.finance.state.PaymentLedger;
import dev.mesh.schemas.FinanceProducts;
import dev.mesh.schemas.finance.ordersettlements.v1.Settlement;
import dev.mesh.schemas.finance.payments.v1.Payment;
import dev.mesh.schemas.finance.revenuedaily.v1.Currency;
import dev.mesh.schemas.finance.revenuedaily.v1.RevenueDay;
import dev.mesh.schemas.sales.orders.v2.Order;
import dev.mesh.sdk.StateSerdes;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The finance derived products as Kafka Streams topologies over any sources, so tests can drive them with
 * TopologyTestDriver and the service with real products.
 */
public final class FinanceTopologies {
    private static final BigDecimal ZERO = BigDecimal.ZERO.setScale(2);

    private FinanceTopologies() {
    }


    /**
     * Orders (a table, latest per order) left-joined with each order's payment ledger: one settlement per order,
     * updated whenever the order or a new payment arrives; payments before their order wait for it.
     */
    public static KTable<String, Settlement> settlements(KTable<String, Order> orders, KStream<String, Payment> payments,
                                                         StateSerdes serdes) {
        KTable<String, PaymentLedger> ledgers = payments
                .groupByKey(Grouped.with(Serdes.String(), serdes.of(Payment.class)))
                .aggregate(SettlementRules::emptyLedger, (orderId, payment, ledger) -> SettlementRules.apply(ledger, payment),
                        Materialized.<String, PaymentLedger, KeyValueStore<Bytes, byte[]>>as("payment-ledgers")
                                .withKeySerde(Serdes.String()).withValueSerde(serdes.of(PaymentLedger.class)));
        return orders.leftJoin(ledgers, SettlementRules::settle,
                serdes.store(FinanceProducts.ORDER_SETTLEMENTS));
    }

    /**
     * Paid revenue per currency and order day. Re-grouping a table subtracts a settlement's old value and adds its
     * new one, so a refund lowers the day its order was placed on, however late it comes.
     */
    public static KTable<String, RevenueDay> revenueDaily(KTable<String, Settlement> settlements, StateSerdes serdes) {
        return settlements
                .groupBy((orderId, s) -> KeyValue.pair(revenueKey(s), s), Grouped.with(Serdes.String(), serdes.of(Settlement.class)))
                .aggregate(FinanceTopologies::emptyDay,
                        (key, s, day) -> add(key, day, s, 1),
                        (key, s, day) -> add(key, day, s, -1),
                        serdes.store(FinanceProducts.REVENUE_DAILY));
    }

    public static String revenueKey(Settlement s) {
        return s.getCurrency().name() + "|" + day(s);
    }

    private static LocalDate day(Settlement s) {
        return LocalDate.ofInstant(s.getPlacedAt(), ZoneOffset.UTC);
    }

    private static RevenueDay emptyDay() {
        return new RevenueDay("", Currency.EUR, LocalDate.EPOCH, ZERO, 0);
    }

    private static RevenueDay add(String key, RevenueDay day, Settlement s, int sign) {
        BigDecimal net = s.getNetAmount().signum() > 0 ? s.getNetAmount() : ZERO;
        return new RevenueDay(key, Currency.valueOf(s.getCurrency().name()), day(s),
                day.getPaidRevenue().add(net.multiply(BigDecimal.valueOf(sign))),
                day.getPaidOrders() + (net.signum() > 0 ? sign : 0));
    }
}
