package dev.mesh.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.security.MeshPrincipals;
import dev.mesh.testkit.Await;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Usage from the groups' committed offsets: a group the catalog has seen reads seven records and is charged seven,
 * with their bytes; a product nobody reads is idle; a span that is not one is refused.
 */
@ExtendWith(RunningCatalog.Extension.class)
class UsageTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void aGroupIsChargedWhatItCommitted(RunningCatalog catalog) throws Exception {
        String group = "qa-usage-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = RunningCatalog.HEARTBEAT + ".v1";
        try (Mesh client = catalog.heartbeatClient();
             Publisher<GenericRecord> publisher = client.publisher(Product.of(RunningCatalog.heartbeat(), GenericRecord.class));
             KafkaConsumer<byte[], byte[]> consumer = consumer(catalog, group)) {
            publisher.publish(beat(publisher)).get(30, TimeUnit.SECONDS);
            consumer.subscribe(List.of(topic));
            readAll(consumer, topic);
            // seen once as a baseline, then with nothing read since: it is on the books with nothing charged
            Await.until(WAIT, group + " on the books", () -> reader(catalog, group).map(r -> r.path("records").asLong() == 0).orElse(false));

            for (int i = 0; i < 7; i++) {
                publisher.publish(beat(publisher)).get(30, TimeUnit.SECONDS);
            }
            readAll(consumer, topic);
            JsonNode charged = Await.value(WAIT, group + " charged 7 records", () ->
                    reader(catalog, group).filter(r -> r.path("records").asLong() == 7));
            assertThat(charged.path("reader").asText()).isEqualTo("qa");
            assertThat(charged.path("bytes").asLong()).as("seven records' share of the partition").isPositive();
            assertThat(charged.path("daysRead").asLong()).isEqualTo(1);
            assertThat(charged.hasNonNull("lastReadAt")).isTrue();
        }
    }

    @Test
    void aProductNobodyReadsIsIdle(RunningCatalog catalog) {
        Await.until(WAIT, "sales.orders.v2 read by its readers", () -> product(catalog, "sales.orders.v2")
                .map(p -> !p.path("idle").asBoolean() && p.path("records").asLong() > 0).orElse(false));
        assertThat(product(catalog, RunningCatalog.WIDGETS + ".v1").orElseThrow().path("idle").asBoolean()).isTrue();
    }

    @Test
    void aSpanThatIsNotOneIsRefused(RunningCatalog catalog) {
        assertThat(catalog.get("/api/usage?since=often").statusCode()).isEqualTo(400);
        assertThat(catalog.get("/api/usage?since=500d").body()).contains("since");
        assertThat(catalog.get("/api/usage?product=qa.nothing").statusCode()).isEqualTo(404);
    }

    private static Optional<JsonNode> product(RunningCatalog catalog, String topic) {
        for (JsonNode p : catalog.api("/api/usage").path("products")) {
            if (p.path("topic").asText().equals(topic)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> reader(RunningCatalog catalog, String group) {
        for (JsonNode p : catalog.api("/api/usage?product=" + RunningCatalog.HEARTBEAT + "&since=1d").path("products")) {
            for (JsonNode r : p.path("readers")) {
                if (r.path("group").asText().equals(group)) {
                    return Optional.of(r);
                }
            }
        }
        return Optional.empty();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(RunningCatalog catalog, String group) {
        Map<String, Object> config = new HashMap<>(catalog.clientConfig(MeshPrincipals.ADMIN));
        config.keySet().removeIf(k -> k.startsWith("schema.registry.") || k.startsWith("basic.auth."));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Polls until the group is at the topic's end, then commits. */
    private static void readAll(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        Await.until(WAIT, "the group at the end of " + topic, () -> {
            consumer.poll(Duration.ofMillis(200));
            var assigned = consumer.assignment();
            if (assigned.isEmpty()) {
                return false;
            }
            var ends = consumer.endOffsets(assigned);
            return assigned.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
        });
        consumer.commitSync();
    }

    private static GenericRecord beat(Publisher<GenericRecord> publisher) {
        GenericRecord r = new GenericData.Record(publisher.contract().schema());
        r.put("beatId", UUID.randomUUID().toString());
        r.put("ok", true);
        return r;
    }
}
