package dev.mesh.sdk.ops;

import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ConsumerEntry;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.errors.MeshException;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
        return group.map(g -> lagsOf(List.of(g), ops.catalog())).orElseGet(() -> allLags(ops.catalog()));
    }

    List<ConsumerLag> allLags(CatalogSnapshot catalog) {
        try {
            Collection<ConsumerGroupListing> groups = ops.mesh().admin().listConsumerGroups().all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return lagsOf(groups.stream().map(ConsumerGroupListing::groupId).toList(), catalog);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted listing consumer groups", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new MeshException("cannot list consumer groups: " + e.getMessage(), e);
        }
    }

    /**
     * The groups' lags, measured together whatever their number: one request for every group's committed offsets,
     * one for every partition's end, and one consumer reading the record each lagging group is at (its time lag).
     */
    private List<ConsumerLag> lagsOf(Collection<String> groups, CatalogSnapshot catalog) {
        if (groups.isEmpty()) {
            return List.of();
        }
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committedByGroup;
        try {
            Map<String, ListConsumerGroupOffsetsSpec> specs = new LinkedHashMap<>();
            groups.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
            committedByGroup = ops.mesh().admin().listConsumerGroupOffsets(specs).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted reading consumer groups' offsets", e);
        } catch (Exception e) {
            throw new MeshException("cannot read the offsets of groups " + groups + ": " + e.getMessage(), e);
        }
        // group -> topic -> partition -> committed offset
        Map<String, Map<String, Map<Integer, Long>>> committed = new TreeMap<>();
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        committedByGroup.forEach((group, offsets) -> offsets.forEach((tp, om) -> {
            if (om != null && !tp.topic().startsWith("_") && !tp.topic().contains("-KSTREAM-") && !tp.topic().endsWith("-repartition")) {
                committed.computeIfAbsent(group, g -> new TreeMap<>()).computeIfAbsent(tp.topic(), t -> new TreeMap<>())
                        .put(tp.partition(), om.offset());
                partitions.add(tp);
            }
        }));
        Map<TopicPartition, Long> end = partitions.isEmpty() ? Map.of() : ops.topics().offsets(new ArrayList<>(partitions), OffsetSpec.latest());
        Map<TopicPartition, Set<Long>> lagging = new HashMap<>();
        committed.values().forEach(topics -> topics.forEach((topic, parts) -> parts.forEach((partition, at) -> {
            TopicPartition tp = new TopicPartition(topic, partition);
            if (end.getOrDefault(tp, at) > at) {
                lagging.computeIfAbsent(tp, k -> new java.util.TreeSet<>()).add(at);
            }
        })));
        Map<TopicPartition, Map<Long, Instant>> timestamps = ops.topics().timestampsAt(lagging);
        Instant now = Instant.now();
        List<ConsumerLag> out = new ArrayList<>();
        committed.forEach((group, topics) -> topics.forEach((topic, parts) -> {
            List<ConsumerLag.PartitionLag> lags = new ArrayList<>();
            parts.forEach((partition, at) -> {
                TopicPartition tp = new TopicPartition(topic, partition);
                long last = end.getOrDefault(tp, at);
                long lag = Math.max(0, last - at);
                Optional<Duration> behind = lag == 0 ? Optional.empty() : Optional.ofNullable(timestamps.getOrDefault(tp, Map.of()).get(at))
                        .map(t -> Duration.between(t, now));
                lags.add(new ConsumerLag.PartitionLag(partition, at, last, lag, behind));
            });
            String product = catalog.product(topic).map(ProductEntry::product).orElse(null);
            out.add(new ConsumerLag(group, topic, product, lags));
        }));
        out.sort(java.util.Comparator.comparing(ConsumerLag::group).thenComparing(ConsumerLag::topic));
        return out;
    }

    /** Who consumes the product: catalog entries joined with the groups' lag. */
    public List<ConsumerLag> consumersOf(ProductEntry p, CatalogSnapshot catalog) {
        List<ConsumerEntry> consumers = catalog.consumersOf(p.topic());
        Map<String, ConsumerLag> measured = new HashMap<>();
        lagsOf(consumers.stream().map(ConsumerEntry::group).distinct().toList(), catalog).stream()
                .filter(l -> l.topic().equals(p.topic())).forEach(l -> measured.put(l.group(), l));
        List<ConsumerLag> out = new ArrayList<>();
        for (ConsumerEntry c : consumers) {
            out.add(measured.getOrDefault(c.group(), new ConsumerLag(c.group(), p.topic(), p.product(), List.of())));
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
