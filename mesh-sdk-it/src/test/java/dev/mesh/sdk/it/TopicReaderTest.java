package dev.mesh.sdk.it;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.ops.MeshOps;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The consumers a service reads with on request (the catalog's records, dead letters, SQL): signed in once, reused. */
@ExtendWith(TestMesh.class)
class TopicReaderTest {

    @Test
    void aReadReusesTheConsumerOfTheLastOneUnassignedAndAFailedReadClosesIt(TestMesh t) throws Exception {
        String topic = t.kafka().createTopic("pooled", 2);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(t.kafka().producerProps(), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 6; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "v" + i)).get(10, TimeUnit.SECONDS);
            }
        }
        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
        try (MeshOps ops = new MeshOps(Mesh.connect(t.config("pool")))) {
            List<String> firstRead = new ArrayList<>();
            KafkaConsumer<String, byte[]> first = ops.topics().read(c -> {
                readAll(c, partitions, firstRead);
                return c;
            });
            List<String> secondRead = new ArrayList<>();
            KafkaConsumer<String, byte[]> second = ops.topics().read(c -> {
                assertThat(c.assignment()).as("kept unassigned").isEmpty();
                readAll(c, partitions, secondRead);
                return c;
            });
            assertThat(second).as("the same consumer, signed in once").isSameAs(first);
            assertThat(secondRead).containsExactlyInAnyOrderElementsOf(firstRead).hasSize(6);

            assertThatThrownBy(() -> ops.topics().read(c -> {
                throw new IllegalStateException("a read that fails");
            })).hasMessage("a read that fails");
            KafkaConsumer<String, byte[]> afterFailure = ops.topics().read(c -> c);
            assertThat(afterFailure).as("the failed read's consumer is not kept").isNotSameAs(first);
        }
    }

    private static void readAll(KafkaConsumer<String, byte[]> c, List<TopicPartition> partitions, List<String> into) {
        c.assign(partitions);
        c.seekToBeginning(partitions);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (into.size() < 6 && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                into.add(r.key());
            }
        }
    }
}
