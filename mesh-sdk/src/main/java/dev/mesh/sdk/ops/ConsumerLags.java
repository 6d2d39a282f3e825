package dev.mesh.sdk.ops;

import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ConsumerEntry;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.errors.MeshException;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Consumer groups' lag on products, in records and in time, and who consumes a product. */
public final class ConsumerLags {
    private static final Duration TIMEOUT = MeshOps.TIMEOUT;
    private final MeshOps ops;

    ConsumerLags(MeshOps ops) {
        this.ops = ops;
    }

    /** Lag of every consumer group (or the one named) on every topic it has committed offsets for. */
    public List<ConsumerLag> lag(Optional<String> group) {
        return group.map(g -> lagOf(g, ops.catalog())).orElseGet(() -> allLags(ops.catalog()));
    }

    List<ConsumerLag> allLags(CatalogSnapshot catalog) {
        List<ConsumerLag> out = new ArrayList<>();
        try {
            Collection<ConsumerGroupListing> groups = ops.mesh().admin().listConsumerGroups().all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            for (ConsumerGroupListing g : groups) {
                out.addAll(lagOf(g.groupId(), catalog));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted listing consumer groups", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new MeshException("cannot list consumer groups: " + e.getMessage(), e);
        }
        out.sort(java.util.Comparator.comparing(ConsumerLag::group).thenComparing(ConsumerLag::topic));
        return out;
    }

    private List<ConsumerLag> lagOf(String group, CatalogSnapshot catalog) {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = ops.mesh().admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new MeshException("cannot read the offsets of group " + group + ": " + e.getMessage(), e);
        }
        Map<String, Map<Integer, Long>> byTopic = new TreeMap<>();
        committed.forEach((tp, om) -> {
            if (om != null && !tp.topic().startsWith("_") && !tp.topic().contains("-KSTREAM-") && !tp.topic().endsWith("-repartition")) {
                byTopic.computeIfAbsent(tp.topic(), t -> new TreeMap<>()).put(tp.partition(), om.offset());
            }
        });
        List<ConsumerLag> out = new ArrayList<>();
        for (var topic : byTopic.entrySet()) {
            List<TopicPartition> partitions = topic.getValue().keySet().stream().map(p -> new TopicPartition(topic.getKey(), p)).toList();
            Map<TopicPartition, Long> end = ops.topics().offsets(partitions, OffsetSpec.latest());
            List<ConsumerLag.PartitionLag> lags = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                long at = topic.getValue().get(tp.partition());
                long lag = Math.max(0, end.get(tp) - at);
                lags.add(new ConsumerLag.PartitionLag(tp.partition(), at, end.get(tp), lag,
                        lag > 0 ? ops.topics().timestampAt(tp, at).map(t -> Duration.between(t, Instant.now())) : Optional.empty()));
            }
            String product = catalog.product(topic.getKey()).map(ProductEntry::product).orElse(null);
            out.add(new ConsumerLag(group, topic.getKey(), product, lags));
        }
        return out;
    }

    /** Who consumes the product: catalog entries joined with the groups' lag. */
    public List<ConsumerLag> consumersOf(ProductEntry p, CatalogSnapshot catalog) {
        List<ConsumerLag> out = new ArrayList<>();
        for (ConsumerEntry c : catalog.consumersOf(p.topic())) {
            out.add(lagOf(c.group(), catalog).stream().filter(l -> l.topic().equals(p.topic())).findFirst()
                    .orElse(new ConsumerLag(c.group(), p.topic(), p.product(), List.of())));
        }
        return out;
    }

    /**
     * For a derived product, how far behind its Streams app is on its inputs: a stuck or failing app shows here long
     * before its product's newest record grows old, if its inputs keep moving.
     */
    public static Optional<Duration> inputLag(ProductEntry p, List<ConsumerLag> lags) {
        if (p.streamsApplicationId() == null) {
            return Optional.empty();
        }
        return lags.stream().filter(l -> l.group().equals(p.streamsApplicationId()))
                .map(ConsumerLag::timeLag).flatMap(Optional::stream).max(Duration::compareTo);
    }
}
