package dev.mesh.sdk.it;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.ProductStreams;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.Subscriber;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.internal.publish.DeadLetters;
import dev.mesh.sdk.it.model.TestOrder;
import dev.mesh.sdk.it.model.TestSettlement;
import dev.mesh.testkit.Await;
import dev.mesh.testkit.KafkaExtension;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records written around the SDK, by a raw Kafka client with the product's own wire format, that break the product's
 * contract: a subscriber and a Streams app refuse each into their DLQ with the rule named, before any handler or
 * topology sees it, and go on with the records after it.
 */
@ExtendWith({KafkaExtension.class, TestMesh.class})
class ReadSideContractTest {
    /** The orders contract with event-time bounds: never before 2000, never more than 5 minutes ahead. */
    private static final Map<String, String> EVENT_TIME = Map.of("slo: {freshness: 5m}",
            "slo: {freshness: 5m}\neventTime: {field: placedAt, notBefore: 2000-01-01, maxFuture: 5m}");

    @Test
    void aSubscriberDeadLettersRecordsThatBreakTheContractWithTheRuleNamed(TestMesh t) throws Exception {
        String domain = TestMesh.uniqueDomain();
        ProductContract contract = TestMesh.contract("orders", domain, EVENT_TIME);
        ProductContract payments = TestMesh.contract("payments", domain);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        try (Mesh mesh = t.connect("finance-test");
             Publisher<TestOrder> orders = mesh.publisher(Product.of(contract, TestOrder.class));
             Publisher<GenericRecord> paymentPublisher = mesh.publisher(Product.of(payments, GenericRecord.class));
             var raw = new KafkaProducer<>(t.kafka().producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            orders.publish(SerdeWireFormatTest.order("before", "1.00")).get(30, TimeUnit.SECONDS);
            poison(raw, contract, orders.schemaId(), paymentPublisher.schemaId());
            orders.publish(SerdeWireFormatTest.order("after", "2.00")).get(30, TimeUnit.SECONDS);

            try (Subscriber<TestOrder> subscriber = mesh.subscriber(Product.of(contract, TestOrder.class))
                    .group(domain + "-reader").handler(r -> handled.add(r.key())).start()) {
                Await.until(Duration.ofSeconds(60), "both valid orders handled", () -> handled.size() == 2);
                List<ConsumerRecord<String, byte[]>> dead = PublisherTest.readAll(t, subscriber.dlqTopic(), 4);
                assertRefused(dead);
                assertThat(handled).containsExactlyInAnyOrder("before", "after");
            }
        }
    }

    @Test
    void aStreamsAppDeadLettersInputsThatBreakTheirContractBeforeItsTopologySeesThem(TestMesh t, @TempDir Path state) throws Exception {
        String domain = TestMesh.uniqueDomain();
        ProductContract orders = TestMesh.contract("orders", domain, EVENT_TIME);
        ProductContract payments = TestMesh.contract("payments", domain);
        ProductContract settlements = TestMesh.contract("settlements", domain);
        Product<TestSettlement> settled = Product.of(settlements, TestSettlement.class);
        Set<String> seenByTopology = ConcurrentHashMap.newKeySet();
        try (Mesh mesh = t.connect("finance-test");
             Publisher<TestOrder> publisher = mesh.publisher(Product.of(orders, TestOrder.class));
             Publisher<GenericRecord> paymentPublisher = mesh.publisher(Product.of(payments, GenericRecord.class));
             var raw = new KafkaProducer<>(t.kafka().producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            ProductStreams streams = mesh.streams(settled).property(StreamsConfig.STATE_DIR_CONFIG, state.toString());
            streams.to(streams.stream(Product.of(orders, TestOrder.class)).mapValues((key, o) -> {
                seenByTopology.add(key);
                return new TestSettlement(o.getOrderId(), o.getCustomerId(), o.getTotalAmount().doubleValue(), 0.0);
            }), settled);
            try (KafkaStreams app = streams.build()) {
                app.start();
                publisher.publish(SerdeWireFormatTest.order("before", "1.00")).get(30, TimeUnit.SECONDS);
                poison(raw, orders, publisher.schemaId(), paymentPublisher.schemaId());
                publisher.publish(SerdeWireFormatTest.order("after", "2.00")).get(30, TimeUnit.SECONDS);
                Set<String> derived = new HashSet<>();
                try (var consumer = new KafkaConsumer<>(t.kafka().consumerProps(), new StringDeserializer(), new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(settlements.topicName()));
                    Await.until(Duration.ofSeconds(90), "the valid orders settled", () -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(r -> derived.add(r.key()));
                        return derived.containsAll(List.of("before", "after"));
                    });
                }
                assertRefused(PublisherTest.readAll(t, Naming.streamsDlqTopic(settled.applicationId()), 4));
                assertThat(seenByTopology).containsExactlyInAnyOrder("before", "after");
                assertThat(derived).containsExactlyInAnyOrder("before", "after");
                assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
                // the app's own domain wrote what its contract refuses: the app says so
                assertThat(streams.ownDeadLetters().count()).isEqualTo(4);
                assertThat(streams.ownDeadLetters().last()).hasValueSatisfying(l -> assertThat(l).startsWith(orders.topicName()));
            }
        }
    }

    /** Four records in the product's wire format that its contract refuses, written as a raw client would. */
    private static void poison(KafkaProducer<String, byte[]> raw, ProductContract contract, int ordersId, int paymentsId) throws Exception {
        Schema schema = contract.schema();
        send(raw, contract, "digits", frame(ordersId, order(schema, "digits", new BigInteger("9".repeat(500)), 1_790_000_000_000L)));
        send(raw, contract, "year-one", frame(ordersId, order(schema, "year-one", BigInteger.valueOf(100), -62_135_596_800_000L)));
        send(raw, contract, "far-future", frame(ordersId, order(schema, "far-future", BigInteger.valueOf(100), Long.MAX_VALUE)));
        // decodes as an order (same field layout up to the decimal) but was written with another product's schema id
        send(raw, contract, "foreign-id", frame(paymentsId, order(schema, "foreign-id", BigInteger.valueOf(100), 1_790_000_000_000L)));
    }

    private static void assertRefused(List<ConsumerRecord<String, byte[]>> dead) {
        assertThat(dead).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("digits", "year-one", "far-future", "foreign-id");
        Map<String, String> rules = new java.util.HashMap<>();
        Map<String, String> reasons = new java.util.HashMap<>();
        for (ConsumerRecord<String, byte[]> r : dead) {
            rules.put(r.key(), DeadLetters.header(r.headers(), DeadLetters.RULE_NAME));
            reasons.put(r.key(), DeadLetters.header(r.headers(), DeadLetters.DLQ_REASON));
            assertThat(DeadLetters.header(r.headers(), DeadLetters.DLQ_STAGE)).isEqualTo("decode");
            assertThat(DeadLetters.header(r.headers(), DeadLetters.RULE_MODE)).isEqualTo("READ");
        }
        assertThat(rules).containsEntry("digits", "schema-bounds").containsEntry("year-one", "event-time")
                .containsEntry("far-future", "event-time").containsEntry("foreign-id", "schema-bounds");
        assertThat(reasons.get("digits")).contains("totalAmount", "digits before the point");
        assertThat(reasons.get("year-one")).contains("placedAt", "must not be before 2000-01-01");
        assertThat(reasons.get("far-future")).contains("placedAt", "in the future");
        assertThat(reasons.get("foreign-id")).contains("is not a version of");
    }

    /** An order encoded without the SDK's checks: the decimal's unscaled bytes as given. */
    private static GenericRecord order(Schema schema, String id, BigInteger unscaledAmount, long placedAt) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("orderId", id);
        r.put("customerId", "c-1");
        r.put("email", "ann@example.com");
        r.put("totalAmount", ByteBuffer.wrap(unscaledAmount.toByteArray()));
        r.put("placedAt", placedAt);
        return r;
    }

    private static byte[] frame(int schemaId, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema(), new GenericData()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static void send(KafkaProducer<String, byte[]> raw, ProductContract contract, String key, byte[] value) throws Exception {
        raw.send(new ProducerRecord<>(contract.topicName(), key, value)).get(30, TimeUnit.SECONDS);
    }
}
