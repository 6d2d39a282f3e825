package dev.mesh.testkit;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaClusterFaultTest {

    @Test
    void everyAcknowledgedRecordSurvivesABrokerStopAndRestartExactlyOnce() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start(3)) {
            String topic = TestKafka.uniqueName("fault");
            try (var admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3)
                        .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
            }

            Set<String> acked = ConcurrentHashMap.newKeySet();
            AtomicInteger failed = new AtomicInteger();
            AtomicBoolean producing = new AtomicBoolean(true);
            Map<String, Object> props = new HashMap<>(new TestKafka(cluster.bootstrapServers()).producerProps());
            props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
            Thread producer = new Thread(() -> {
                try (var p = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
                    for (int i = 0; producing.get(); i++) {
                        String key = "k" + i;
                        p.send(new ProducerRecord<>(topic, key, "v"), (md, e) -> {
                            if (e == null) {
                                acked.add(key);
                            } else {
                                failed.incrementAndGet();
                            }
                        });
                        if (i % 200 == 0) {
                            p.flush();
                        }
                    }
                    p.flush();
                }
            }, "fault-test-producer");
            producer.start();

            int victim = cluster.brokerIds().iterator().next();
            Await.until(Duration.ofSeconds(60), "2000 acks before the stop", () -> acked.size() >= 2_000);
            cluster.stopBroker(victim);
            int atStop = acked.size();
            Await.until(Duration.ofSeconds(90), "2000 acks with a broker down", () -> acked.size() >= atStop + 2_000);
            cluster.startBroker(victim);
            int atRestart = acked.size();
            Await.until(Duration.ofSeconds(90), "2000 acks after the restart", () -> acked.size() >= atRestart + 2_000);
            producing.set(false);
            producer.join(TimeUnit.SECONDS.toMillis(150));
            assertThat(producer.isAlive()).isFalse();

            Map<String, Integer> seen = new HashMap<>();
            try (var consumer = new KafkaConsumer<>(new TestKafka(cluster.bootstrapServers()).consumerProps(),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (!seen.keySet().containsAll(acked) && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        seen.merge(r.key(), 1, Integer::sum);
                    }
                }
                // drain what may still follow, so a duplicate would be seen
                for (int i = 0; i < 5; i++) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.merge(r.key(), 1, Integer::sum));
                }
            }
            assertThat(acked.size()).isGreaterThanOrEqualTo(6_000);
            Set<String> missing = new java.util.TreeSet<>(acked);
            missing.removeAll(seen.keySet());
            assertThat(missing).as("acknowledged but never consumed (of %d acked, %d failed, %d seen)",
                    acked.size(), failed.get(), seen.size()).isEmpty();
            assertThat(seen.entrySet()).allSatisfy(e ->
                    assertThat(e.getValue()).as("times key %s was consumed", e.getKey()).isEqualTo(1));
        }
    }
}
