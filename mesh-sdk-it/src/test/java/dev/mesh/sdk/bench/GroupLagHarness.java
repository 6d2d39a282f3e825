package dev.mesh.sdk.bench;

import dev.mesh.registry.EmbeddedRegistry;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.it.TestMesh;
import dev.mesh.sdk.it.model.TestOrder;
import dev.mesh.sdk.ops.ConsumerLag;
import dev.mesh.sdk.ops.MeshOps;
import dev.mesh.testkit.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What measuring every consumer group's lag costs with many idle groups (issue 33: 43 abandoned groups made
 * `mesh products` take about a minute): N groups, each with committed offsets in the middle of a product's
 * partitions (so each lags, in records and in time), measured through `MeshOps.lag` as `mesh lag`, `mesh products`
 * and the catalog do, against the floor of the same facts from the admin API alone (every group's offsets and every
 * partition's end in one request each, no time lag). Args: groups (default 50), rounds (default 5).
 */
public final class GroupLagHarness {
    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ProductContract contract = TestMesh.contract("orders", TestMesh.uniqueDomain(), Map.of(", \"confluent:tags\": [\"PII\"]", ""));
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             EmbeddedRegistry registry = EmbeddedRegistry.start(kafka.bootstrapServers())) {
            Map<String, Object> config = Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "schema.registry.url", registry.url(), Mesh.APP, "bench");
            try (Mesh mesh = Mesh.connect(config); Admin admin = kafka.admin()) {
                try (Publisher<TestOrder> publisher = mesh.publisher(Product.of(contract, TestOrder.class))) {
                    for (int i = 0; i < 3000; i++) {
                        publisher.publish(PublisherThroughput.order(i), (r, e) -> { });
                    }
                    publisher.flush();
                }
                int partitions = contract.topic().partitions();
                for (int g = 0; g < groups; g++) {
                    Map<TopicPartition, OffsetAndMetadata> at = new HashMap<>();
                    for (int p = 0; p < partitions; p++) {
                        at.put(new TopicPartition(contract.topicName(), p), new OffsetAndMetadata(10 + g));
                    }
                    admin.alterConsumerGroupOffsets("idle-" + g, at).all().get(30, TimeUnit.SECONDS);
                }
                MeshOps ops = new MeshOps(mesh);
                double[] mesh_ = new double[rounds];
                double[] floor = new double[rounds];
                int measured = 0;
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    List<ConsumerLag> lags = ops.lag(Optional.empty());
                    mesh_[r] = (System.nanoTime() - t0) / 1e6;
                    measured = (int) lags.stream().filter(l -> l.timeLag().isPresent()).count();
                    long t1 = System.nanoTime();
                    Map<String, ListConsumerGroupOffsetsSpec> specs = new LinkedHashMap<>();
                    admin.listConsumerGroups().all().get().forEach(l -> specs.put(l.groupId(), new ListConsumerGroupOffsetsSpec()));
                    var offsets = admin.listConsumerGroupOffsets(specs).all().get();
                    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                    offsets.values().forEach(m -> m.keySet().forEach(tp -> ends.put(tp, OffsetSpec.latest())));
                    admin.listOffsets(ends).all().get();
                    floor[r] = (System.nanoTime() - t1) / 1e6;
                    Map<TopicPartition, java.util.Set<Long>> wanted = new HashMap<>();
                    for (int p = 0; p < partitions; p++) {
                        java.util.Set<Long> at = new java.util.TreeSet<>();
                        for (int g = 0; g < groups; g++) {
                            at.add(10L + g);
                        }
                        wanted.put(new TopicPartition(contract.topicName(), p), at);
                    }
                    long t2 = System.nanoTime();
                    ops.topics().timestampsAt(wanted);
                    System.out.printf("  of which the time lag's reads (one consumer, %d offsets): %.0f ms%n", partitions * groups, (System.nanoTime() - t2) / 1e6);
                    System.out.printf("round %d: MeshOps.lag %.0f ms (%d groups with a time lag), admin API floor %.0f ms%n",
                            r + 1, mesh_[r], measured, floor[r]);
                }
                double m = PublisherThroughput.median(mesh_);
                double f = PublisherThroughput.median(floor);
                System.out.printf("%n%d idle groups on %d partitions, %d rounds (medians)%n", groups, partitions, rounds);
                System.out.printf("MeshOps.lag (records and time lag of every group): %.0f ms%n", m);
                System.out.printf("admin API floor (offsets and ends, no time lag): %.0f ms%n", f);
                System.out.printf("ratio (MeshOps.lag / floor): %.1f%n", m / f);
            }
        }
    }
}
