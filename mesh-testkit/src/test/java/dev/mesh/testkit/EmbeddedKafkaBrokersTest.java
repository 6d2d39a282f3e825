package dev.mesh.testkit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Three secured brokers and their controller in this JVM: what {@code mesh up --brokers 3} runs on. */
class EmbeddedKafkaBrokersTest {

    @Test
    void threeSecuredBrokersReplicateTheirInternalTopicsAndKeepTheirDataAcrossARestart(@TempDir Path dir) throws Exception {
        String topic = TestKafka.uniqueName("three");
        EmbeddedKafka.Builder cluster = EmbeddedKafka.builder().brokers(3).dataDir(dir).secured("admin", "admin-secret");
        try (EmbeddedKafka kafka = cluster.start()) {
            assertThat(kafka.bootstrapServers().split(",")).hasSize(3);
            try (Admin admin = kafka.admin()) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).extracting(n -> n.id())
                        .containsExactlyInAnyOrder(1, 2, 3);
                admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
                String isr = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, "1")))
                        .all().get(30, TimeUnit.SECONDS).values().iterator().next().get("transaction.state.log.min.isr").value();
                assertThat(isr).as("transaction state survives a broker").isEqualTo("2");
            }
            Map<String, Object> client = client(kafka);
            try (var producer = new KafkaProducer<>(client, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 30; i++) {
                    producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
                }
            }
            Map<String, Object> stranger = new HashMap<>(client);
            stranger.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"wrong\";");
            try (Admin admin = Admin.create(stranger)) {
                assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
            }
        }

        try (EmbeddedKafka restarted = cluster.start()) {
            try (Admin admin = restarted.admin()) {
                var description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
                assertThat(description.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            }
            Map<String, Object> consumerProps = client(restarted);
            consumerProps.put("group.id", TestKafka.uniqueName("g"));
            consumerProps.put("auto.offset.reset", "earliest");
            Set<String> values = new java.util.HashSet<>();
            try (var consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                Await.until(Duration.ofSeconds(60), "30 records after the restart", () -> {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                    return values.size() >= 30;
                });
            }
            assertThat(values).hasSize(30);
        }
    }

    private static Map<String, Object> client(EmbeddedKafka kafka) {
        Map<String, Object> p = new HashMap<>(kafka.adminProperties());
        p.put("bootstrap.servers", kafka.bootstrapServers());
        return p;
    }
}
