package dev.mesh.registry;

import dev.mesh.testkit.Await;
import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.TestKafka;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.mesh.registry.RegistryTestBase.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ids and versions are never handed out twice, even after the records that held the highest ones were permanently
 * deleted, compacted out of {@code _schemas}, and every instance restarted.
 */
@ExtendWith(KafkaExtension.class)
class IdHighWaterTest {

    @Test
    void aCompactedAwayHighestIdOrVersionIsNotReusedAfterARestart(TestKafka kafka) throws Exception {
        String topic = TestKafka.uniqueName("_schemas");
        Map<String, Object> props = Map.of("registry.topic", topic);
        String name = Avro.uniqueName();
        String kept = TestKafka.uniqueName("kept");
        String gone = TestKafka.uniqueName("gone");
        int goneId;
        try (EmbeddedRegistry first = EmbeddedRegistry.start(kafka.bootstrapServers(), 0, props)) {
            RegistryHttp h = new RegistryHttp(first.url());
            h.registerId(kept, Avro.versioned(name, 1));
            h.registerId(kept, Avro.versioned(name, 2));
            goneId = h.registerId(gone, Avro.distinct(name.replace('.', '_'), 1));
            assertThat(goneId).isEqualTo(3);
            // the subject with the highest id, and the highest version of the other one, are deleted for good
            ok(h.delete("/subjects/" + gone));
            ok(h.delete("/subjects/" + gone + "?permanent=true"));
            ok(h.delete("/subjects/" + kept + "/versions/2"));
            ok(h.delete("/subjects/" + kept + "/versions/2?permanent=true"));
        }

        compactUntilGone(kafka, topic, "\"id\":" + goneId + ",\"schema\"");

        try (EmbeddedRegistry restarted = EmbeddedRegistry.start(kafka.bootstrapServers(), 0, props)) {
            RegistryHttp h = new RegistryHttp(restarted.url());
            int next = h.registerId(TestKafka.uniqueName("new"), Avro.distinct(name.replace('.', '_'), 2));
            assertThat(next).as("the id after a compacted-away highest id %d", goneId).isEqualTo(goneId + 1);
            h.registerId(kept, Avro.versioned(name, 3));
            assertThat(h.versions(kept)).as("versions of %s: 2 was deleted for good", kept).containsExactly(1, 3);
        }
    }

    /** Makes the log cleaner compact the topic until no record's value contains {@code needle}. */
    private static void compactUntilGone(TestKafka kafka, String topic, String needle) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        List<AlterConfigOp> ops = new ArrayList<>();
        for (String[] c : new String[][] {{"segment.ms", "100"}, {"min.cleanable.dirty.ratio", "0.001"},
                {"min.compaction.lag.ms", "0"}, {"delete.retention.ms", "0"}}) {
            ops.add(new AlterConfigOp(new ConfigEntry(c[0], c[1]), AlterConfigOp.OpType.SET));
        }
        try (var admin = kafka.admin()) {
            admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get();
        }
        Map<String, Object> consumerProps = new HashMap<>(kafka.consumerProps());
        consumerProps.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(),
                new StringSerializer())) {
            Await.until(Duration.ofSeconds(120), "the cleaner to compact " + needle + " out of " + topic, () -> {
                // a later record rolls the segment holding the deleted ones, so the cleaner may take it
                producer.send(new ProducerRecord<>(topic, 0, "{\"keytype\":\"NOOP\",\"magic\":0}", null));
                producer.flush();
                return !logContains(consumerProps, topic, needle);
            });
        }
    }

    private static boolean logContains(Map<String, Object> props, String topic, String needle) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition p = new TopicPartition(topic, 0);
            c.assign(List.of(p));
            c.seekToBeginning(List.of(p));
            long end = c.endOffsets(List.of(p)).get(p);
            while (c.position(p) < end) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    if (r.value() != null && r.value().contains(needle)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
