package dev.mesh.sdk.it;

import dev.mesh.sdk.Product;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.it.model.TestOrder;
import dev.mesh.sdk.internal.publish.DeadLetters;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.Subscriber;
import dev.mesh.testkit.Await;
import dev.mesh.testkit.KafkaExtension;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith({KafkaExtension.class, TestMesh.class})
class SubscriberTest {

    @Test
    void garbageBytesAndAnUnknownSchemaIdGoToTheDlqAndConsumptionGoesOn(TestMesh t) throws Exception {
        ProductContract contract = TestMesh.contract("orders", TestMesh.uniqueDomain());
        Set<String> handled = ConcurrentHashMap.newKeySet();
        try (Mesh mesh = t.connect("finance-test");
             Publisher<TestOrder> orders = mesh.publisher(Product.of(contract, TestOrder.class));
             var raw = new KafkaProducer<>(t.kafka().producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            orders.publish(SerdeWireFormatTest.order("before", "1.00")).get(30, TimeUnit.SECONDS);
            raw.send(new ProducerRecord<>(contract.topicName(), "garbage", "not avro at all".getBytes())).get();
            raw.send(new ProducerRecord<>(contract.topicName(), "unknown-id", new byte[]{0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4})).get();
            orders.publish(SerdeWireFormatTest.order("after", "2.00")).get(30, TimeUnit.SECONDS);

            try (Subscriber<TestOrder> subscriber = mesh.subscriber(Product.of(contract, TestOrder.class))
                    .group("payments-" + TestMesh.uniqueDomain())
                    .handler(r -> handled.add(r.key() + ":" + r.value().getTotalAmount()))
                    .start()) {
                Await.until(Duration.ofSeconds(60), "both valid orders handled", () -> handled.size() == 2);
                assertThat(handled).containsExactlyInAnyOrder("before:1.00", "after:2.00");

                List<ConsumerRecord<String, byte[]>> dead = PublisherTest.readAll(t, subscriber.dlqTopic(), 2);
                assertThat(dead).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("garbage", "unknown-id");
                ConsumerRecord<String, byte[]> garbage = dead.stream().filter(r -> r.key().equals("garbage")).findFirst().orElseThrow();
                assertThat(garbage.value()).isEqualTo("not avro at all".getBytes());
                assertThat(DeadLetters.header(garbage.headers(), DeadLetters.DLQ_STAGE)).isEqualTo("decode");
                assertThat(DeadLetters.header(garbage.headers(), DeadLetters.DLQ_REASON)).contains("magic byte");
                assertThat(DeadLetters.header(garbage.headers(), DeadLetters.ORIGIN_TOPIC)).isEqualTo(contract.topicName());
                ConsumerRecord<String, byte[]> unknown = dead.stream().filter(r -> r.key().equals("unknown-id")).findFirst().orElseThrow();
                assertThat(DeadLetters.header(unknown.headers(), DeadLetters.DLQ_REASON)).contains("unknown schema id");
            }
        }
    }

    @Test
    void aRecordWhoseHandlerKeepsFailingIsDeadLetteredAfterItsAttempts(TestMesh t) throws Exception {
        ProductContract contract = TestMesh.contract("orders", TestMesh.uniqueDomain());
        Set<String> handled = ConcurrentHashMap.newKeySet();
        try (Mesh mesh = t.connect("finance-test"); Publisher<TestOrder> orders = mesh.publisher(Product.of(contract, TestOrder.class))) {
            orders.publish(SerdeWireFormatTest.order("poison", "1.00")).get(30, TimeUnit.SECONDS);
            orders.publish(SerdeWireFormatTest.order("fine", "1.00")).get(30, TimeUnit.SECONDS);
            try (Subscriber<TestOrder> subscriber = mesh.subscriber(Product.of(contract, TestOrder.class))
                    .group("g-" + TestMesh.uniqueDomain()).maxAttempts(2).retryBackoff(Duration.ofMillis(10))
                    .handler(r -> {
                        if (r.key().equals("poison")) {
                            throw new IllegalStateException("cannot pay " + r.key());
                        }
                        handled.add(r.key());
                    }).start()) {
                Await.until(Duration.ofSeconds(60), "the fine order handled", () -> handled.contains("fine"));
                ConsumerRecord<String, byte[]> dead = PublisherTest.readAll(t, subscriber.dlqTopic(), 1).get(0);
                assertThat(dead.key()).isEqualTo("poison");
                assertThat(DeadLetters.header(dead.headers(), DeadLetters.DLQ_STAGE)).isEqualTo("handler");
                assertThat(DeadLetters.header(dead.headers(), DeadLetters.DLQ_REASON)).contains("cannot pay poison");
            }
        }
    }

    /**
     * A kill -9 leaves the member in its group until its session ends; restarted under the same {@code mesh.instance},
     * the subscriber takes that member's place at once. As a new, dynamic member it would wait in a rebalance for the
     * dead one's session (a minute here).
     */
    @Test
    void aRestartedInstanceTakesItsCrashedPredecessorsPlaceAtOnce(TestMesh t) throws Exception {
        ProductContract contract = TestMesh.contract("orders", TestMesh.uniqueDomain());
        String group = "g-" + TestMesh.uniqueDomain();
        Map<String, Object> config = t.config("finance-test");
        config.put(Mesh.INSTANCE, "finance-7");
        Set<String> handled = ConcurrentHashMap.newKeySet();
        try (Mesh mesh = Mesh.connect(config); Publisher<TestOrder> orders = mesh.publisher(Product.of(contract, TestOrder.class))) {
            orders.publish(SerdeWireFormatTest.order("o-1", "1.00")).get(30, TimeUnit.SECONDS);
            Map<String, Object> crashed = new HashMap<>(t.kafka().consumerProps());
            crashed.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            crashed.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "finance-7-" + contract.topicName());
            crashed.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 60_000);
            crashed.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            try (var predecessor = new KafkaConsumer<>(crashed, new StringDeserializer(), new StringDeserializer())) {
                predecessor.subscribe(List.of(contract.topicName()));
                Await.until(Duration.ofSeconds(60), "the predecessor assigned", () -> {
                    predecessor.poll(Duration.ofMillis(100));
                    return !predecessor.assignment().isEmpty();
                });
                // what a killed process leaves behind: a member that neither leaves nor heartbeats
                predecessor.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));
            }
            try (Subscriber<TestOrder> subscriber = mesh.subscriber(Product.of(contract, TestOrder.class)).group(group)
                    .handler(r -> handled.add(r.key())).start()) {
                Await.until(Duration.ofSeconds(30), "the order handled before the dead member's session ends", () -> handled.contains("o-1"));
            }
        }
    }
}
