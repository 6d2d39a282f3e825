package dev.mesh.finance;

import dev.mesh.schemas.FinanceProducts;
import dev.mesh.schemas.finance.ordersettlements.v1.Settlement;
import dev.mesh.schemas.finance.revenuedaily.v1.Currency;
import dev.mesh.schemas.finance.revenuedaily.v1.RevenueDay;
import dev.mesh.sdk.Derivation;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.ProductStreams;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * finance.revenue-daily: paid revenue per currency and order day. Re-grouping the settlements table subtracts a
 * settlement's old value and adds its new one, so a refund lowers the day its order was placed on, however late it
 * comes.
 */
@Singleton
final class RevenueDaily implements Derivation<RevenueDay> {
    private static final BigDecimal ZERO = BigDecimal.ZERO.setScale(2);

    @Override
    public Product<RevenueDay> product() {
        return FinanceProducts.REVENUE_DAILY;
    }

    @Override
    public KStream<String, RevenueDay> derive(ProductStreams in) {
        return in.table(FinanceProducts.ORDER_SETTLEMENTS)
                .groupBy((orderId, s) -> KeyValue.pair(key(s), s), in.grouped("settlements-by-day", Settlement.class))
                .aggregate(RevenueDaily::emptyDay, (key, s, day) -> add(key, day, s, 1), (key, s, day) -> add(key, day, s, -1),
                        in.store(FinanceProducts.REVENUE_DAILY))
                .toStream();
    }

    /** A settlement's currency and order day, {@code EUR|2026-11-21}: the key of revenue-daily and refund-rate. */
    static String key(Settlement s) {
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
