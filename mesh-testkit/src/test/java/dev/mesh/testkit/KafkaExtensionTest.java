package dev.mesh.testkit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.ArrayList;
import org.apache.kafka.clients.producer.RecordMetadata;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(KafkaExtension.class)
class KafkaExtensionTest {

    private static final int RECORDS = 10_000;

    @Test
    void producesAndConsumesTenThousandRecordsWithAcksAllAndIdempotence(TestKafka kafka) throws Exception {
        String topic = kafka.createTopic("ten-thousand", 3);

        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)));
            }
            producer.flush();
        }
        for (Future<RecordMetadata> send : sends) {
            assertThat(send.get().offset()).isGreaterThanOrEqualTo(0);
        }

        Set<String> seen = new HashSet<>();
        int consumed = 0;
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(kafka.consumerProps(), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumed < RECORDS && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(r.value()).isEqualTo("value-" + r.key().substring(4));
                    seen.add(r.key());
                    consumed++;
                }
            }
        }
        assertThat(consumed).isEqualTo(RECORDS);
        assertThat(seen).hasSize(RECORDS);
    }

    @Test
    void everyTestClassOfARunSharesOneBroker(TestKafka first, TestKafka second) {
        assertThat(first.bootstrapServers()).isEqualTo(second.bootstrapServers());
        assertThat(TestKafka.uniqueName("t")).isNotEqualTo(TestKafka.uniqueName("t"));
    }
}
