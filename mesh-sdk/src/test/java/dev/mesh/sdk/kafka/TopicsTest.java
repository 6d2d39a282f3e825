package dev.mesh.sdk.kafka;

import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(KafkaExtension.class)
class TopicsTest {

    /**
     * Without waiting for the new topic's leaders, about one burst in fifteen here lost a batch: the producer's first
     * batch met NOT_LEADER_OR_FOLLOWER, its later ones were accepted, and it re-sent sequence 0 until it expired.
     */
    @Test
    void aBurstIntoATopicJustEnsuredLosesNothing(TestKafka kafka) throws Exception {
        Map<String, Object> props = kafka.producerProps();
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = kafka.admin()) {
            for (int round = 0; round < 25; round++) {
                String topic = TestKafka.uniqueName("burst");
                Topics.ensure(admin, topic, 3, (short) 1, Map.of());
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
                    for (int i = 0; i < 5_000; i++) {
                        sends.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)));
                    }
                }
                int lost = 0;
                for (Future<RecordMetadata> send : sends) {
                    try {
                        send.get();
                    } catch (ExecutionException e) {
                        lost++;
                    }
                }
                assertThat(lost).as("records lost in round %d on %s", round, topic).isZero();
                assertThat(kafka.endOffsets(topic)).isEqualTo(5_000);
            }
        }
    }
}
