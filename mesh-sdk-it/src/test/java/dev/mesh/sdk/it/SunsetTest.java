package dev.mesh.sdk.it;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.Subscriber;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.it.model.TestOrder;
import dev.mesh.sdk.internal.MeshClients;
import dev.mesh.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A deprecated major past its sunset (a test clock): nobody publishes to it and no new consumer starts on it, each
 * told its successor; a consumer that read it before goes on.
 */
@ExtendWith(TestMesh.class)
class SunsetTest {
    private static final String BEFORE = "fixed:2027-06-30T12:00:00Z";
    private static final String AFTER = "fixed:2027-07-01T00:00:01Z";

    private static Mesh at(TestMesh t, String clock) {
        Map<String, Object> config = t.config("sunset-test");
        config.put(MeshClients.CLOCK, clock);
        return Mesh.connect(config);
    }

    @Test
    void pastItsSunsetAProductTakesNoPublisherAndNoNewConsumer(TestMesh t) throws Exception {
        String domain = TestMesh.uniqueDomain();
        ProductContract contract = TestMesh.contract("orders", domain, Map.of("tags: [orders]",
                "tags: [orders]\ndeprecated: {successor: " + domain + ".orders.v2, sunset: 2027-06-30}"));
        assertThat(contract.deprecated()).hasValueSatisfying(d -> assertThat(d.successor()).isEqualTo(domain + ".orders.v2"));
        String group = domain + "-reader";
        List<String> read = new CopyOnWriteArrayList<>();
        try (Mesh before = at(t, BEFORE); Publisher<TestOrder> orders = before.publisher(Product.of(contract, TestOrder.class))) {
            orders.publish(SerdeWireFormatTest.order("o-1", "1.00")).get(30, TimeUnit.SECONDS);
            try (Subscriber<TestOrder> reader = before.subscriber(Product.of(contract, TestOrder.class)).group(group)
                    .handler(r -> read.add(r.key())).start()) {
                Await.until(Duration.ofSeconds(60), "the reader's first order", () -> read.contains("o-1"));
                Await.until(Duration.ofSeconds(30), "the reader's committed offsets", () -> committed(before, group));
            }
        }
        try (Mesh after = at(t, AFTER)) {
            assertThatThrownBy(() -> after.publisher(Product.of(contract, TestOrder.class)))
                    .isInstanceOf(MeshException.class)
                    .hasMessageContaining("cannot publish to " + contract.topicName())
                    .hasMessageContaining("sunset (2027-06-30)").hasMessageContaining("successor is " + domain + ".orders.v2");
            assertThatThrownBy(() -> after.subscriber(Product.of(contract, TestOrder.class)).group(domain + "-newcomer")
                    .handler(r -> { }).start())
                    .isInstanceOf(MeshException.class).hasMessageContaining("start a new consumer (group " + domain + "-newcomer)");
            assertThatThrownBy(() -> after.streams(Product.of(contract, TestOrder.class)).stream(Product.of(contract, TestOrder.class)))
                    .as("a new Streams app is a new consumer too")
                    .isInstanceOf(MeshException.class).hasMessageContaining("start a new Streams app (")
                    .hasMessageContaining("successor is " + domain + ".orders.v2");
            try (Subscriber<TestOrder> again = after.subscriber(Product.of(contract, TestOrder.class)).group(group)
                    .handler(r -> read.add(r.key())).start()) {
                assertThat(again).as("a consumer from before the sunset goes on").isNotNull();
            }
        }
    }

    private static boolean committed(Mesh mesh, String group) {
        try {
            return !mesh.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }
}
