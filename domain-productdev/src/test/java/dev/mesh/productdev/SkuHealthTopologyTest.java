package dev.mesh.productdev;

import dev.mesh.schemas.ProductdevProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.productdev.feedback.v1.Feedback;
import dev.mesh.schemas.productdev.skuhealth.v1.SkuHealth;
import dev.mesh.schemas.sales.orders.v2.Currency;
import dev.mesh.schemas.sales.orders.v2.Money;
import dev.mesh.schemas.sales.orders.v2.Order;
import dev.mesh.schemas.sales.orders.v2.OrderLine;
import dev.mesh.schemas.sales.orders.v2.SalesChannel;
import dev.mesh.schemas.sales.returns.v1.Reason;
import dev.mesh.schemas.sales.returns.v1.Return;
import dev.mesh.sdk.ProductStreams;
import dev.mesh.sdk.StateSerdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** productdev.sku-health's topology under TopologyTestDriver: orders, returns and feedback in, per sku what they imply out. */
class SkuHealthTopologyTest {
    private static final StateSerdes SERDES = StateSerdes.plain();
    private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    private TestInputTopic<String, Order> orders;
    private TestInputTopic<String, Return> returns;
    private TestInputTopic<String, Feedback> feedback;

    @Test
    void countsOrdersReturnsAndRatingsPerSku() {
        ProductStreams streams = ProductStreams.detached(ProductdevProducts.SKU_HEALTH);
        streams.to(new SkuHealthTopology().derive(streams), ProductdevProducts.SKU_HEALTH);
        try (TopologyTestDriver driver = new TopologyTestDriver(streams.topology(), streams.properties())) {
            orders = driver.createInputTopic(SalesProducts.ORDERS_V2.topic(), new StringSerializer(), SERDES.of(Order.class).serializer());
            returns = driver.createInputTopic(SalesProducts.RETURNS.topic(), new StringSerializer(), SERDES.of(Return.class).serializer());
            feedback = driver.createInputTopic(ProductdevProducts.FEEDBACK.topic(), new StringSerializer(), SERDES.of(Feedback.class).serializer());
            TestOutputTopic<String, SkuHealth> out = driver.createOutputTopic(ProductdevProducts.SKU_HEALTH.topic(),
                    new StringDeserializer(), SERDES.of(SkuHealth.class).deserializer());

            order("o1", "sku-a", "sku-b", "sku-a");  // sku-a twice on one order counts once
            order("o2", "sku-a");
            giveBack("r1", "o1");                     // a return counts for every sku of its order
            giveBack("r0", "o3");                     // before its order: not counted
            order("o3", "sku-c");
            rate("f1", "sku-a", 4);
            rate("f2", "sku-a", 2);
            rate("f3", "sku-b", 5);
            rate("f4", "sku-d", 3);                   // rated, never ordered here

            Map<String, SkuHealth> health = out.readKeyValuesToMap();
            assertThat(health).containsOnlyKeys("sku-a", "sku-b", "sku-c", "sku-d");
            assertThat(health.get("sku-a")).isEqualTo(new SkuHealth("sku-a", 2L, 1L, 2L, 6L, 3.0, 0.5));
            assertThat(health.get("sku-b")).isEqualTo(new SkuHealth("sku-b", 1L, 1L, 1L, 5L, 5.0, 1.0));
            assertThat(health.get("sku-c")).isEqualTo(new SkuHealth("sku-c", 1L, 0L, 0L, 0L, 0.0, 0.0));
            assertThat(health.get("sku-d")).isEqualTo(new SkuHealth("sku-d", 0L, 0L, 1L, 3L, 3.0, 0.0));
        }
    }

    private void order(String id, String... skus) {
        orders.pipeInput(id, new Order(id, "c-" + id, new Money(new BigDecimal("10.00"), Currency.EUR),
                Arrays.stream(skus).map(sku -> new OrderLine(sku, 1, new BigDecimal("10.00"))).toList(), SalesChannel.WEB, AT));
    }

    private void giveBack(String id, String orderId) {
        returns.pipeInput(id, new Return(id, orderId, dev.mesh.schemas.sales.returns.v1.Currency.EUR, new BigDecimal("10.00"),
                Reason.DAMAGED, AT));
    }

    private void rate(String id, String sku, int stars) {
        feedback.pipeInput(id, new Feedback(id, "c-1", sku, stars, "words", AT));
    }
}
