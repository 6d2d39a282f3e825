package dev.mesh.sdk.it;

import dev.mesh.registry.EmbeddedRegistry;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.ProductStreams;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.it.model.TestOrder;
import dev.mesh.sdk.it.model.TestSettlement;
import dev.mesh.testkit.Await;
import dev.mesh.testkit.KafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.kstream.Grouped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a cluster of three brokers, everything the mesh creates is replicated as a real cluster needs: products, DLQs,
 * the mesh's own topics, the registry's store and Streams' internal topics get three replicas and
 * {@code min.insync.replicas=2}, so one broker may fail without losing an acknowledged write or stopping writes.
 */
class ReplicationTest {

    @Test
    void onThreeBrokersEveryTopicTheMeshMakesHasThreeReplicasAndTwoInSync(@TempDir Path state) throws Exception {
        String domain = TestMesh.uniqueDomain();
        ProductContract orders = TestMesh.contract("orders", domain);
        ProductContract settlements = TestMesh.contract("settlements", domain);
        try (KafkaCluster cluster = KafkaCluster.start(3);
             EmbeddedRegistry registry = EmbeddedRegistry.start(cluster.bootstrapServers());
             Mesh mesh = Mesh.connect(Map.of("bootstrap.servers", cluster.bootstrapServers(), "schema.registry.url", registry.url(),
                     Mesh.APP, "replication-test", Mesh.PROVISION, "apply", "mesh.streams.state.dir", state.toString()));
             Publisher<TestOrder> publisher = mesh.publisher(Product.of(orders, TestOrder.class))) {
            publisher.publish(SerdeWireFormatTest.order("o-1", "5.00")).get(30, TimeUnit.SECONDS);

            Product<TestSettlement> settled = Product.of(settlements, TestSettlement.class);
            ProductStreams streams = mesh.streams(settled);
            streams.to(streams.stream(Product.of(orders, TestOrder.class))
                    .groupByKey(Grouped.with(Serdes.String(), streams.stateSerde(TestOrder.class)))
                    .reduce((before, latest) -> latest)
                    .mapValues(o -> new TestSettlement(o.getOrderId(), o.getCustomerId(), o.getTotalAmount().doubleValue(), 0.0))
                    .toStream(), settled);
            try (KafkaStreams app = streams.build()) {
                app.start();
                Await.until(Duration.ofSeconds(90), "the app's changelog", () -> !changelogs(cluster, settled.applicationId()).isEmpty());
                List<String> topics = new ArrayList<>(List.of(orders.topicName(), orders.dlqTopic(), settlements.topicName(),
                        Naming.catalogTopic(domain), "_schemas"));
                topics.addAll(changelogs(cluster, settled.applicationId()));
                try (Admin admin = cluster.admin()) {
                    var described = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
                    var configs = admin.describeConfigs(topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList())
                            .all().get(30, TimeUnit.SECONDS);
                    for (String topic : topics) {
                        assertThat(described.get(topic).partitions()).as(topic).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
                        Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic));
                        assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).as("min.insync.replicas of " + topic).isEqualTo("2");
                    }
                }
            }
        }
    }

    private static List<String> changelogs(KafkaCluster cluster, String applicationId) {
        try (Admin admin = cluster.admin()) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(applicationId + "-") && t.endsWith("-changelog")).toList();
        } catch (Exception e) {
            return List.of();
        }
    }
}
