package dev.mesh.testkit;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedKafkaRestartTest {

    @Test
    void aRestartedBrokerOnTheSameDataDirStillHasTheTopicAndItsRecords(@TempDir Path dataDir) throws Exception {
        String topic = TestKafka.uniqueName("kept");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dataDir).start()) {
            try (var admin = kafka.admin()) {
                admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (var producer = new KafkaProducer<>(new TestKafka(kafka.bootstrapServers()).producerProps(),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get();
                }
            }
        }
        assertThat(Files.list(dataDir).count()).as("data dir kept after close").isPositive();

        try (EmbeddedKafka restarted = EmbeddedKafka.builder().dataDir(dataDir).start()) {
            try (var admin = restarted.admin()) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(topic);
            }
            List<String> values = new ArrayList<>();
            try (var consumer = new KafkaConsumer<>(new TestKafka(restarted.bootstrapServers()).consumerProps(),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                Await.until(Duration.ofSeconds(60), "100 records after restart", () -> {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                    return values.size() >= 100;
                });
            }
            assertThat(values).hasSize(100).contains("v0", "v99");
        }
    }

    @Test
    void closeIsIdempotentAndDeletesATemporaryDataDir() {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        Path dir = kafka.dataDir();
        assertThat(dir).exists();
        kafka.close();
        kafka.close();
        assertThat(dir).doesNotExist();
    }
}
