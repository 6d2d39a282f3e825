package dev.mesh.finance;

import dev.mesh.schemas.FinanceProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.finance.ordersettlements.v1.Currency;
import dev.mesh.schemas.finance.ordersettlements.v1.Settlement;
import dev.mesh.schemas.finance.ordersettlements.v1.SettlementStatus;
import dev.mesh.schemas.finance.refundrate.v1.RefundRate;
import dev.mesh.schemas.sales.returns.v1.Reason;
import dev.mesh.schemas.sales.returns.v1.Return;
import dev.mesh.sdk.ProductStreams;
import dev.mesh.sdk.StateSerdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** finance.refund-rate's topology under TopologyTestDriver: settlements and returns in, a rate per currency and day out. */
class RefundRateTopologyTest {
    private static final StateSerdes SERDES = StateSerdes.plain();
    private static final Instant DAY1 = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-11-21T10:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, Return> returns;
    private TestInputTopic<String, Settlement> settlements;
    private TestOutputTopic<String, RefundRate> out;

    @BeforeEach
    void setUp() {
        ProductStreams streams = ProductStreams.detached(FinanceProducts.REFUND_RATE);
        streams.to(new RefundRateTopology().derive(streams), FinanceProducts.REFUND_RATE);
        driver = new TopologyTestDriver(streams.topology(), streams.properties());
        returns = driver.createInputTopic(SalesProducts.RETURNS.topic(), new StringSerializer(), SERDES.of(Return.class).serializer());
        settlements = driver.createInputTopic(FinanceProducts.ORDER_SETTLEMENTS.topic(), new StringSerializer(),
                SERDES.of(Settlement.class).serializer());
        out = driver.createOutputTopic(FinanceProducts.REFUND_RATE.topic(), new StringDeserializer(), SERDES.of(RefundRate.class).deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void aReturnCountsAgainstThePaidOrdersOfItsOrdersDayAndCurrency() {
        settle("o1", Currency.EUR, DAY1, "40.00");
        settle("o2", Currency.EUR, DAY1, "60.00");
        settle("o3", Currency.USD, DAY1, "10.00");
        settle("o4", Currency.EUR, DAY2, "99.00");
        returns.pipeInput("r1", new Return("r1", "o2", dev.mesh.schemas.sales.returns.v1.Currency.EUR, new BigDecimal("25.50"),
                Reason.DAMAGED, DAY2));

        Map<String, RefundRate> rates = out.readKeyValuesToMap();
        RefundRate eur1 = rates.get("EUR|2026-11-20");
        assertThat(eur1.getDay()).isEqualTo(LocalDate.parse("2026-11-20"));
        assertThat(eur1.getPaidOrders()).isEqualTo(2);
        assertThat(eur1.getRefundedOrders()).isEqualTo(1);
        assertThat(eur1.getRefundedAmount()).isEqualByComparingTo("25.50");
        assertThat(eur1.getRefundRate()).isEqualTo(0.5);
        assertThat(rates.get("USD|2026-11-20").getRefundRate()).isZero();
        assertThat(rates.get("EUR|2026-11-21").getPaidOrders()).isEqualTo(1);
        assertThat(rates.get("EUR|2026-11-21").getRefundedOrders()).as("counted on the order's day, not the return's").isZero();
    }

    @Test
    void anOrderThatStopsBeingPaidLeavesThePaidOrdersOfItsDay() {
        settle("o1", Currency.GBP, DAY1, "40.00");
        settle("o2", Currency.GBP, DAY1, "20.00");
        returns.pipeInput("r1", new Return("r1", "o1", dev.mesh.schemas.sales.returns.v1.Currency.GBP, new BigDecimal("40.00"),
                Reason.CHANGED_MIND, DAY2));
        settle("o1", Currency.GBP, DAY1, "0.00");

        RefundRate gbp = out.readKeyValuesToMap().get("GBP|2026-11-20");
        assertThat(gbp.getPaidOrders()).isEqualTo(1);
        assertThat(gbp.getRefundedOrders()).isEqualTo(1);
        assertThat(gbp.getRefundRate()).isEqualTo(1.0);
    }

    private void settle(String orderId, Currency currency, Instant placedAt, String net) {
        BigDecimal amount = new BigDecimal(net);
        settlements.pipeInput(orderId, new Settlement(orderId, "c-1", currency, amount, amount, BigDecimal.ZERO.setScale(2), amount,
                amount.signum() > 0 ? SettlementStatus.PAID : SettlementStatus.REFUNDED, 1, placedAt, placedAt));
    }
}
