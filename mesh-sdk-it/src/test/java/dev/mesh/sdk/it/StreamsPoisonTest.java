package dev.mesh.sdk.it;

import dev.mesh.sdk.Product;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.it.model.TestOrder;
import dev.mesh.sdk.it.model.TestSettlement;
import dev.mesh.sdk.internal.publish.DeadLetters;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.ProductStreams;
import dev.mesh.sdk.internal.streams.StreamsDeadLetters;
import dev.mesh.testkit.Await;
import dev.mesh.testkit.KafkaExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record a processor throws on, or whose result cannot be written (a timestamp before 1970 reaching a sink), is
 * one committed dead letter with a short reason: the app keeps running and the records after it are derived.
 */
@ExtendWith({KafkaExtension.class, TestMesh.class})
class StreamsPoisonTest {

    /** Derives a settlement per order, throws on "explode", and stamps "ancient" with an instant of year 1. */
    private static final class Settle implements FixedKeyProcessor<String, TestOrder, TestSettlement> {
        private FixedKeyProcessorContext<String, TestSettlement> context;

        @Override
        public void init(FixedKeyProcessorContext<String, TestSettlement> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, TestOrder> record) {
            if (record.key().equals("explode")) {
                throw new IllegalStateException("cannot settle " + record.key() + "\n" + "x".repeat(5_000));
            }
            TestSettlement s = TestSettlement.newBuilder().setOrderId(record.value().getOrderId())
                    .setCustomerId(record.value().getCustomerId()).setTotal(record.value().getTotalAmount().doubleValue())
                    .setPaid(0.0).build();
            context.forward(record.withValue(s).withTimestamp(record.key().equals("ancient") ? -62135596800000L
                    : record.timestamp()));
        }
    }

    @Test
    void aRecordThatBreaksProcessingIsACommittedDeadLetterAndTheAppGoesOn(TestMesh t, @TempDir Path state) throws Exception {
        String domain = TestMesh.uniqueDomain();
        ProductContract orders = TestMesh.contract("orders", domain);
        ProductContract settlements = TestMesh.contract("settlements", domain);
        Product<TestSettlement> settled = Product.of(settlements, TestSettlement.class);
        String appId = settled.applicationId();
        try (Mesh mesh = t.connect("finance-test"); Publisher<TestOrder> publisher = mesh.publisher(Product.of(orders, TestOrder.class))) {
            ProductStreams streams = mesh.streams(settled)
                    .property(StreamsConfig.STATE_DIR_CONFIG, state.toString())
                    .property(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            streams.to(streams.stream(Product.of(orders, TestOrder.class)).processValues(Settle::new), settled);
            try (KafkaStreams app = streams.build()) {
                app.start();
                for (String key : List.of("before", "explode", "ancient", "after")) {
                    publisher.publish(SerdeWireFormatTest.order(key, "10.00")).get(30, TimeUnit.SECONDS);
                }
                Set<String> derived = new HashSet<>();
                try (var consumer = new KafkaConsumer<>(t.kafka().consumerProps(), new StringDeserializer(), new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(settlements.topicName()));
                    Await.until(Duration.ofSeconds(90), "the orders around the poison settled", () -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(r -> derived.add(r.key()));
                        return derived.containsAll(List.of("before", "after"));
                    });
                }
                assertThat(derived).doesNotContain("explode", "ancient");
                assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);

                // read_committed: the dead letters were committed with the transaction that skipped them
                List<ConsumerRecord<String, byte[]>> dead = PublisherTest.readAll(t, Naming.streamsDlqTopic(appId), 2);
                assertThat(dead).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("explode", "ancient");
                for (ConsumerRecord<String, byte[]> r : dead) {
                    assertThat(DeadLetters.header(r.headers(), DeadLetters.DLQ_STAGE)).isEqualTo(StreamsDeadLetters.STAGE_PROCESS);
                    assertThat(DeadLetters.header(r.headers(), DeadLetters.ORIGIN_TOPIC)).isEqualTo(orders.topicName());
                    assertThat(DeadLetters.header(r.headers(), DeadLetters.ORIGIN_OFFSET)).matches("[0-9]+");
                    assertThat(DeadLetters.header(r.headers(), DeadLetters.DLQ_GROUP)).isEqualTo(appId);
                    String reason = DeadLetters.header(r.headers(), DeadLetters.DLQ_REASON);
                    assertThat(reason).hasSizeLessThanOrEqualTo(300).doesNotContain("\n").doesNotContain("\tat ");
                    for (Header h : r.headers()) {
                        assertThat(h.value() == null ? 0 : h.value().length).as("header %s", h.key()).isLessThan(1_000);
                    }
                }
                assertThat(dead.stream().filter(r -> r.key().equals("explode")).findFirst().orElseThrow())
                        .satisfies(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.DLQ_REASON))
                                .startsWith("IllegalStateException: cannot settle explode"));
                assertThat(dead.stream().filter(r -> r.key().equals("ancient")).findFirst().orElseThrow())
                        .satisfies(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.DLQ_REASON))
                                .containsIgnoringCase("timestamp"));
            }
        }
    }
}
