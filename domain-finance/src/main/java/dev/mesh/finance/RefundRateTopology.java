package dev.mesh.finance;

import dev.mesh.schemas.FinanceProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.finance.ordersettlements.v1.Settlement;
import dev.mesh.schemas.finance.refundrate.v1.Currency;
import dev.mesh.schemas.finance.refundrate.v1.RefundRate;
import dev.mesh.schemas.sales.returns.v1.Return;
import dev.mesh.sdk.Derivation;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.ProductStreams;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** finance.refund-rate: per currency and order day, returned orders and refunds over the paid orders of that day. */
@Singleton
final class RefundRateTopology implements Derivation<RefundRate> {
    @Override
    public Product<RefundRate> product() {
        return FinanceProducts.REFUND_RATE;
    }

    @Override
    public KStream<String, RefundRate> derive(ProductStreams in) {
        KTable<String, Settlement> settlements = in.table(FinanceProducts.ORDER_SETTLEMENTS);
        // paid orders per day: re-grouping a table takes a settlement's old value back when it changes
        KTable<String, RefundRate> paid = settlements.groupBy((id, s) -> KeyValue.pair(RevenueDaily.key(s), s),
                        in.grouped("paid-by-day", Settlement.class))
                .aggregate(() -> null, (key, s, day) -> add(day, s, paid(s), 0, BigDecimal.ZERO),
                        (key, s, day) -> add(day, s, -paid(s), 0, BigDecimal.ZERO), in.store("paid-orders", RefundRate.class));
        // a return counts on the day its order was placed, in the order's currency
        KTable<String, RefundRate> refunded = in.stream(SalesProducts.RETURNS).selectKey((id, r) -> r.getOrderId())
                .join(settlements, (r, s) -> add(null, s, 0, 1, r.getRefundAmount()), in.joined("returns-by-order", Return.class, Settlement.class))
                .groupBy((orderId, r) -> r.getRateKey(), in.grouped("refunds-by-day", RefundRate.class))
                .reduce((a, b) -> add(a, null, 0, 1, b.getRefundedAmount()), in.store("refunds", RefundRate.class));
        return paid.leftJoin(refunded, (p, r) -> r == null ? p : add(p, null, 0, r.getRefundedOrders(), r.getRefundedAmount()),
                in.store(FinanceProducts.REFUND_RATE)).toStream();
    }

    private static int paid(Settlement s) {
        return s.getNetAmount().signum() > 0 ? 1 : 0;
    }

    /** {@code day} (a new one for {@code s}'s currency and day if null) plus paid and refunded orders and amount. */
    private static RefundRate add(RefundRate day, Settlement s, long paid, long refunded, BigDecimal amount) {
        RefundRate d = day != null ? day : new RefundRate(RevenueDaily.key(s), Currency.valueOf(s.getCurrency().name()),
                LocalDate.ofInstant(s.getPlacedAt(), ZoneOffset.UTC), 0L, 0L, BigDecimal.ZERO.setScale(2), 0.0);
        long paidOrders = d.getPaidOrders() + paid;
        long refundedOrders = d.getRefundedOrders() + refunded;
        return new RefundRate(d.getRateKey(), d.getCurrency(), d.getDay(), paidOrders, refundedOrders,
                d.getRefundedAmount().add(amount), paidOrders == 0 ? 0.0 : (double) refundedOrders / paidOrders);
    }
}
