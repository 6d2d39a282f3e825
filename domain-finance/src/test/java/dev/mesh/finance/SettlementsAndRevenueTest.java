package dev.mesh.finance;

import dev.mesh.schemas.FinanceProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.finance.ordersettlements.v1.Settlement;
import dev.mesh.schemas.finance.ordersettlements.v1.SettlementStatus;
import dev.mesh.schemas.finance.payments.v1.Currency;
import dev.mesh.schemas.finance.payments.v1.Payment;
import dev.mesh.schemas.finance.payments.v1.PaymentKind;
import dev.mesh.schemas.finance.revenuedaily.v1.RevenueDay;
import dev.mesh.schemas.sales.orders.v2.Order;
import dev.mesh.schemas.sales.orders.v2.OrderLine;
import dev.mesh.schemas.sales.orders.v2.SalesChannel;
import dev.mesh.sdk.Derivation;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.ProductStreams;
import dev.mesh.sdk.StateSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * finance.order-settlements and finance.revenue-daily through their own derivations under TopologyTestDriver, each
 * detached as the service would run it; every settlement written is read by revenue-daily's topology as the broker
 * would hand it on.
 */
class SettlementsAndRevenueTest {
    private static final StateSerdes SERDES = StateSerdes.plain();
    private static final Instant DAY1 = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-11-21T10:00:00Z");

    private TopologyTestDriver settling;
    private TopologyTestDriver summing;
    private TestInputTopic<String, Order> orders;
    private TestInputTopic<String, Payment> payments;
    private TestOutputTopic<String, Settlement> settlements;
    private TestInputTopic<String, Settlement> settlementsToSum;
    private TestOutputTopic<String, RevenueDay> revenue;
    /** Every settlement written so far, the latest per order. */
    private final Map<String, Settlement> settled = new HashMap<>();

    @BeforeEach
    void setUp() {
        settling = driver(new OrderSettlements());
        summing = driver(new RevenueDaily());
        orders = settling.createInputTopic(SalesProducts.ORDERS_V2.topic(), Serdes.String().serializer(), SERDES.of(Order.class).serializer());
        payments = settling.createInputTopic(FinanceProducts.PAYMENTS.topic(), Serdes.String().serializer(), SERDES.of(Payment.class).serializer());
        settlements = settling.createOutputTopic(FinanceProducts.ORDER_SETTLEMENTS.topic(), Serdes.String().deserializer(),
                SERDES.of(Settlement.class).deserializer());
        settlementsToSum = summing.createInputTopic(FinanceProducts.ORDER_SETTLEMENTS.topic(), Serdes.String().serializer(),
                SERDES.of(Settlement.class).serializer());
        revenue = summing.createOutputTopic(FinanceProducts.REVENUE_DAILY.topic(), Serdes.String().deserializer(),
                SERDES.of(RevenueDay.class).deserializer());
    }

    private static <T> TopologyTestDriver driver(Derivation<T> derivation) {
        Product<T> product = derivation.product();
        ProductStreams streams = ProductStreams.detached(product);
        streams.to(derivation.derive(streams), product);
        return new TopologyTestDriver(streams.topology(), streams.properties());
    }

    @AfterEach
    void tearDown() {
        settling.close();
        summing.close();
    }

    @Test
    void anOrderWithoutPaymentAwaitsPayment() {
        order("o-1", "20.00", DAY1);
        Settlement s = latest().get("o-1");
        assertThat(s.getStatus()).isEqualTo(SettlementStatus.AWAITING_PAYMENT);
        assertThat(s.getPaymentCount()).isZero();
        assertThat(s.getNetAmount()).isEqualByComparingTo("0");
    }

    @Test
    void aFullCaptureMakesTheOrderPaid() {
        order("o-1", "20.00", DAY1);
        pay("p-1", "o-1", PaymentKind.CAPTURED, "20.00");
        Settlement s = latest().get("o-1");
        assertThat(s.getStatus()).isEqualTo(SettlementStatus.PAID);
        assertThat(s.getCapturedAmount()).isEqualByComparingTo("20.00");
        assertThat(s.getNetAmount()).isEqualByComparingTo("20.00");
        assertThat(s.getPaymentCount()).isEqualTo(1);
        assertThat(s.getLastPaymentAt()).isNotNull();
    }

    @Test
    void aPaymentArrivingBeforeItsOrderIsCountedWhenTheOrderArrives() {
        pay("p-1", "o-late", PaymentKind.CAPTURED, "15.00");
        assertThat(latest()).as("no settlement without the order").isEmpty();
        order("o-late", "15.00", DAY1);
        assertThat(latest().get("o-late").getStatus()).isEqualTo(SettlementStatus.PAID);
    }

    @Test
    void aDuplicatePaymentEventCountsOnce() {
        order("o-1", "20.00", DAY1);
        pay("p-1", "o-1", PaymentKind.CAPTURED, "20.00");
        pay("p-1", "o-1", PaymentKind.CAPTURED, "20.00");
        Settlement s = latest().get("o-1");
        assertThat(s.getStatus()).isEqualTo(SettlementStatus.PAID);
        assertThat(s.getCapturedAmount()).isEqualByComparingTo("20.00");
        assertThat(s.getPaymentCount()).isEqualTo(1);
    }

    @Test
    void aPartialPaymentIsPartiallyPaidUntilTheRestArrives() {
        order("o-1", "30.00", DAY1);
        pay("p-1", "o-1", PaymentKind.CAPTURED, "10.00");
        assertThat(latest().get("o-1").getStatus()).isEqualTo(SettlementStatus.PARTIALLY_PAID);
        pay("p-2", "o-1", PaymentKind.CAPTURED, "20.00");
        assertThat(latest().get("o-1").getStatus()).isEqualTo(SettlementStatus.PAID);
    }

    @Test
    void capturingMoreThanTheTotalIsOverpaid() {
        order("o-1", "10.00", DAY1);
        pay("p-1", "o-1", PaymentKind.CAPTURED, "10.00");
        pay("p-2", "o-1", PaymentKind.CAPTURED, "10.00");
        Settlement s = latest().get("o-1");
        assertThat(s.getStatus()).isEqualTo(SettlementStatus.OVERPAID);
        assertThat(s.getNetAmount()).isEqualByComparingTo("20.00");
    }

    @Test
    void onlyFailedAttemptsMeanFailedAndALaterCaptureStillPays() {
        order("o-1", "10.00", DAY1);
        pay("p-1", "o-1", PaymentKind.FAILED, "0.00");
        assertThat(latest().get("o-1").getStatus()).isEqualTo(SettlementStatus.FAILED);
        pay("p-2", "o-1", PaymentKind.CAPTURED, "10.00");
        assertThat(latest().get("o-1").getStatus()).isEqualTo(SettlementStatus.PAID);
    }

    @Test
    void aRefundAfterPaymentRefundsTheOrderAndLowersTheRevenueOfTheOrdersDay() {
        order("o-1", "20.00", DAY1);
        order("o-2", "5.00", DAY1);
        order("o-3", "7.00", DAY2);
        pay("p-1", "o-1", PaymentKind.CAPTURED, "20.00");
        pay("p-2", "o-2", PaymentKind.CAPTURED, "5.00");
        pay("p-3", "o-3", PaymentKind.CAPTURED, "7.00");
        latest();
        Map<String, RevenueDay> days = revenue.readKeyValuesToMap();
        assertThat(days.get("EUR|2026-11-20").getPaidRevenue()).isEqualByComparingTo("25.00");
        assertThat(days.get("EUR|2026-11-20").getPaidOrders()).isEqualTo(2);
        assertThat(days.get("EUR|2026-11-21").getPaidRevenue()).isEqualByComparingTo("7.00");

        pay("r-1", "o-1", PaymentKind.REFUNDED, "20.00");

        Settlement s = latest().get("o-1");
        assertThat(s.getStatus()).isEqualTo(SettlementStatus.REFUNDED);
        assertThat(s.getNetAmount()).isEqualByComparingTo("0.00");
        latest();
        Map<String, RevenueDay> after = revenue.readKeyValuesToMap();
        assertThat(after.get("EUR|2026-11-20").getPaidRevenue()).isEqualByComparingTo("5.00");
        assertThat(after.get("EUR|2026-11-20").getPaidOrders()).isEqualTo(1);
        assertThat(after.get("EUR|2026-11-20").getDay()).isEqualTo(LocalDate.parse("2026-11-20"));
        assertThat(after).as("day 2 untouched by the refund").doesNotContainKey("EUR|2026-11-21");
    }

    /** The settlements written so far, latest per order, each handed on to revenue-daily's topology. */
    private Map<String, Settlement> latest() {
        settlements.readKeyValuesToList().forEach(s -> {
            settled.put(s.key, s.value);
            settlementsToSum.pipeInput(s.key, s.value);
        });
        return settled;
    }

    private void order(String id, String total, Instant placedAt) {
        orders.pipeInput(id, new Order(id, "c-1", new dev.mesh.schemas.sales.orders.v2.Money(new BigDecimal(total), dev.mesh.schemas.sales.orders.v2.Currency.EUR),
                List.of(new OrderLine("sku-1", 1, new BigDecimal(total))), SalesChannel.WEB, placedAt));
    }

    private void pay(String paymentId, String orderId, PaymentKind kind, String amount) {
        payments.pipeInput(orderId, new Payment(paymentId, orderId, kind, new BigDecimal(amount), Currency.EUR,
                "test", DAY2));
    }
}
