package dev.mesh.sdk.it;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.MigrationBridge;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.internal.MeshClients;
import dev.mesh.sdk.internal.serde.AvroDeserializer;
import dev.mesh.testkit.Await;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A deprecated v1 fed from v2 by the migration v2's contract declares: every v2 record appears in v1 exactly once,
 * downgraded, across a restart of the bridge between two batches; past v1's sunset the bridge does not start.
 */
@ExtendWith(TestMesh.class)
class MigrationBridgeTest {
    private static final int BATCH = 150;

    @Test
    void everyV2RecordReachesV1ExactlyOnceAcrossARestartOfTheBridge(TestMesh t, @TempDir Path state) throws Exception {
        String domain = TestMesh.uniqueDomain();
        ProductContract v1 = TestMesh.contract("orders", domain, Map.of("tags: [orders]",
                "tags: [orders]\ndeprecated: {successor: " + domain + ".orders.v2, sunset: 2027-06-30}"));
        ProductContract v2 = TestMesh.contract("orders-v2", domain);
        MigrationBridge bridge = MigrationBridge.between(v1, v2);
        Map<String, Object> config = t.config("sales-bridge-test");
        config.put("mesh.streams.state.dir", state.toString());
        config.put("mesh.streams.commit.interval.ms", 100);
        config.put(MeshClients.CLOCK, "fixed:2027-01-01T00:00:00Z");

        try (Mesh mesh = Mesh.connect(config); Publisher<GenericRecord> orders = mesh.publisher(Product.of(v2, GenericRecord.class))) {
            publish(orders, v2, 0, BATCH);
            KafkaStreams first = mesh.run(bridge);
            first.start();
            Await.until(Duration.ofSeconds(90), "the first bridge to feed some of the first batch",
                    () -> readV1(t, mesh, v1).size() > 0);
            // as the domain service stops it: leaving the group, so the next one takes over at once
            first.close(org.apache.kafka.streams.CloseOptions.timeout(Duration.ofSeconds(30))
                    .withGroupMembershipOperation(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            publish(orders, v2, BATCH, BATCH);
            try (KafkaStreams second = mesh.run(bridge)) {
                second.start();
                Await.until(Duration.ofSeconds(90), "the bridge to have read all of v2",
                        () -> caughtUp(mesh, bridge.product().applicationId(), v2.topicName()));
            }

            List<ConsumerRecord<String, GenericRecord>> fed = readV1(t, mesh, v1);
            Map<String, Integer> times = new HashMap<>();
            fed.forEach(r -> times.merge(r.key(), 1, Integer::sum));
            assertThat(times).as("each v2 record once in v1").hasSize(2 * BATCH).allSatisfy((key, n) -> assertThat(n).isEqualTo(1));
            GenericRecord seventh = fed.stream().filter(r -> r.key().equals("o-7")).findFirst().orElseThrow().value();
            assertThat(seventh.getSchema().getFullName()).isEqualTo(v1.schema().getFullName());
            assertThat(seventh.get("customerId").toString()).isEqualTo("b-7");
            assertThat((BigDecimal) seventh.get("totalAmount")).isEqualByComparingTo("7.50");
        }

        config.put(MeshClients.CLOCK, "fixed:2027-07-01T00:00:01Z");
        try (Mesh after = Mesh.connect(config)) {
            assertThat(bridge.runsAt(after.now())).isFalse();
            assertThatThrownBy(() -> after.run(bridge)).isInstanceOf(MeshException.class)
                    .hasMessageContaining("cannot write to " + v1.topicName()).hasMessageContaining("successor is " + v2.topicName());
        }
    }

    private static void publish(Publisher<GenericRecord> orders, ProductContract v2, int from, int count) throws Exception {
        List<java.util.concurrent.CompletableFuture<?>> sent = new java.util.ArrayList<>();
        for (int i = from; i < from + count; i++) {
            GenericRecord r = new GenericData.Record(v2.schema());
            r.put("orderId", "o-" + i);
            r.put("buyerId", "b-" + i);
            r.put("email", "buyer" + i + "@example.com");
            r.put("total", new BigDecimal(i).add(new BigDecimal("0.50")).setScale(2));
            r.put("placedAt", Instant.parse("2026-11-30T10:00:00Z"));
            sent.add(orders.publish(r));
        }
        for (var f : sent) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    /** Every committed record of v1 (read_committed: an aborted transaction's writes are not there). */
    private static List<ConsumerRecord<String, GenericRecord>> readV1(TestMesh t, Mesh mesh, ProductContract v1) {
        Map<String, Object> props = t.kafka().consumerProps();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AvroDeserializer<GenericRecord> decode = new AvroDeserializer<>(mesh.registry(), GenericRecord.class);
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(v1.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, GenericRecord>> out = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), decode.deserialize(r.topic(), r.value())));
                }
            }
            return out;
        }
    }

    /** Whether the app's committed offsets on {@code topic} reach its end: all it read is written, under exactly-once. */
    private static boolean caughtUp(Mesh mesh, String group, String topic) {
        try {
            return caughtUpOrFail(mesh, group, topic);
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean caughtUpOrFail(Mesh mesh, String group, String topic) throws Exception {
        var committed = mesh.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        var partitions = mesh.admin().describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions();
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), org.apache.kafka.clients.admin.OffsetSpec.latest()));
        var ends = mesh.admin().listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        return ends.entrySet().stream().allMatch(e -> committed.containsKey(e.getKey())
                && committed.get(e.getKey()).offset() >= e.getValue().offset());
    }
}
