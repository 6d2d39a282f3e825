package dev.mesh.local;

import dev.mesh.testkit.Await;
import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.TestKafka;
import dev.mesh.testkit.VariantRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole mesh against a registry that answers where Confluent's API leaves room as other registries do
 * (compatibility of a new subject 404/40401, no metadata or rule sets), on an empty state: every service starts,
 * every derived product is derived, and its records carry ids that registry handed out.
 */
@ExtendWith(KafkaExtension.class)
class LocalMeshOnVariantRegistryTest {
    /** Every derived product, and sales.returns: a product with no code, its demo traffic drawn from its schema. */
    private static final List<String> DERIVED = List.of("finance.order-settlements.v1", "finance.revenue-daily.v1",
            "marketing.campaign-attribution.v1", "marketing.campaign-performance.v1", "sales.returns.v1", "finance.refund-rate.v1");

    @Test
    void theMeshStartsAndDerivesProductsAgainstIt(TestKafka kafka, @TempDir Path data) {
        // against a cluster of its own the mesh starts nothing until its products are provisioned: `mesh apply` first
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            dev.mesh.sdk.provision.ProvisionPlan.topics(admin, dev.mesh.sdk.Product.all().stream().map(dev.mesh.sdk.Product::contract).toList(),
                    (short) 1).apply(false);
        }
        try (VariantRegistry registry = VariantRegistry.start();
             LocalMesh mesh = LocalMesh.start(new LocalMesh.Settings(data, 0, 0, java.util.Map.of(LocalMesh.Settings.EVERY_DOMAIN, 0), 20.0,
                     Optional.of(kafka.bootstrapServers()), Optional.of(registry.url()), 1, 1))) {
            assertThat(mesh.registryUrl()).isEqualTo(registry.url());
            for (String topic : DERIVED) {
                ConsumerRecord<String, byte[]> first = Await.value(Duration.ofSeconds(120), "a record in " + topic,
                        () -> firstRecord(kafka, topic));
                ByteBuffer value = ByteBuffer.wrap(first.value());
                assertThat(value.get()).as("magic byte of %s", topic).isZero();
                int id = value.getInt();
                assertThat(registry.schema(id)).as("schema %d of %s, from the variant registry", id, topic).isPresent();
                assertThat(registry.requests()).as("requests to the registry")
                        .contains("POST /compatibility/subjects/" + topic + "-value/versions");
            }
        }
    }

    private static Optional<ConsumerRecord<String, byte[]>> firstRecord(TestKafka kafka, String topic) {
        Map<String, Object> props = kafka.consumerProps();
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            if (!consumer.listTopics().containsKey(topic)) {
                return Optional.empty();
            }
            consumer.subscribe(List.of(topic));
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(2))) {
                if (r.value() != null) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        }
    }
}
