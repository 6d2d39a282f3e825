package dev.mesh.finance;

import dev.mesh.schemas.finance.ordersettlements.v1.Settlement;
import dev.mesh.schemas.finance.ordersettlements.v1.SettlementStatus;
import dev.mesh.schemas.finance.payments.v1.Currency;
import dev.mesh.schemas.finance.payments.v1.Payment;
import dev.mesh.schemas.finance.payments.v1.PaymentKind;
import dev.mesh.schemas.finance.revenuedaily.v1.RevenueDay;
import dev.mesh.schemas.sales.orders.v2.Order;
import dev.mesh.schemas.sales.orders.v2.OrderLine;
import dev.mesh.schemas.sales.orders.v2.SalesChannel;
import dev.mesh.sdk.StateSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The settlement and daily revenue rules, driven through the real topologies without a broker. */
class FinanceTopologiesTest {
    private static final StateSerdes SERDES = StateSerdes.plain();
    private static final Instant DAY1 = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-11-21T10:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, Order> orders;
    private TestInputTopic<String, Payment> payments;
    private TestOutputTopic<String, Settlement> settlements;
    private TestOutputTopic<String, RevenueDay> revenue;

    @BeforeEach
    void setUp() {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, Settlement> settled = FinanceTopologies.settlements(
                builder.table("orders", Consumed.with(Serdes.String(), SERDES.of(Order.class))),
                builder.stream("payments", Consumed.with(Serdes.String(), SERDES.of(Payment.class))),
                SERDES);
        settled.toStream().to("settlements", Produced.with(Serdes.String(), SERDES.of(Settlement.class)));
        FinanceTopologies.revenueDaily(settled, SERDES).toStream()
                .to("revenue", Produced.with(Serdes.String(), SERDES.of(RevenueDay.class)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "finance-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        driver = new TopologyTestDriver(builder.build(), props);
        orders = driver.createInputTopic("orders", Serdes.String().serializer(), SERDES.of(Order.class).serializer());
        payments = driver.createInputTopic("payments", Serdes.String().serializer(), SERDES.of(Payment.class).serializer());
        settlements = driver.createOutputTopic("settlements", Serdes.String().deserializer(), SERDES.of(Settlement.class).deserializer());
        revenue = driver.createOutputTopic("revenue", Serdes.String().deserializer(), SERDES.of(RevenueDay.class).deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
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
        assertThat(settlements.isEmpty()).as("no settlement without the order").isTrue();
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
        Map<String, RevenueDay> days = revenue.readKeyValuesToMap();
        assertThat(days.get("EUR|2026-11-20").getPaidRevenue()).isEqualByComparingTo("25.00");
        assertThat(days.get("EUR|2026-11-20").getPaidOrders()).isEqualTo(2);
        assertThat(days.get("EUR|2026-11-21").getPaidRevenue()).isEqualByComparingTo("7.00");

        pay("r-1", "o-1", PaymentKind.REFUNDED, "20.00");

        Settlement s = latest().get("o-1");
        assertThat(s.getStatus()).isEqualTo(SettlementStatus.REFUNDED);
        assertThat(s.getNetAmount()).isEqualByComparingTo("0.00");
        Map<String, RevenueDay> after = revenue.readKeyValuesToMap();
        assertThat(after.get("EUR|2026-11-20").getPaidRevenue()).isEqualByComparingTo("5.00");
        assertThat(after.get("EUR|2026-11-20").getPaidOrders()).isEqualTo(1);
        assertThat(after.get("EUR|2026-11-20").getDay()).isEqualTo(LocalDate.parse("2026-11-20"));
        assertThat(after).as("day 2 untouched by the refund").doesNotContainKey("EUR|2026-11-21");
    }

    private Map<String, Settlement> latest() {
        return settlements.readKeyValuesToMap();
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
