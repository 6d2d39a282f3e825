package dev.mesh.sdk.ops;

import dev.mesh.sdk.errors.MeshException;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Records written to a topic per time bucket, measured from offsets alone: the offset at each bucket's start
 * (Kafka's offset-for-timestamp lookup) subtracted from the next one's. Costs one offsets request per bucket
 * boundary whatever the volume, so it suits a catalog page. Offsets also count transaction markers, so a
 * transactional writer's counts run high; records with out-of-order timestamps blur the bucket edges.
 *
 * @param topicExists false when the topic is gone; buckets are empty then
 */
public record Throughput(String topic, boolean topicExists, Instant from, Instant to, Duration bucket, List<Bucket> buckets) {

    public record Bucket(Instant start, long records) {
    }

    public long total() {
        return buckets.stream().mapToLong(Bucket::records).sum();
    }

    public static Throughput lastHour(MeshOps ops, String topic) {
        return measure(ops, topic, Duration.ofHours(1), Duration.ofMinutes(5));
    }

    /** The {@code window} up to now in buckets of {@code bucket} (the first one shorter when they do not divide). */
    public static Throughput measure(MeshOps ops, String topic, Duration window, Duration bucket) {
        if (bucket.isZero() || bucket.isNegative() || window.compareTo(bucket) < 0) {
            throw new IllegalArgumentException("the window " + window + " must hold at least one bucket of " + bucket);
        }
        Instant to = Instant.now();
        Instant from = to.minus(window);
        TopicDescription description = ops.topics().describe(topic).orElse(null);
        if (description == null) {
            return new Throughput(topic, false, from, to, bucket, List.of());
        }
        List<TopicPartition> partitions = TopicReader.partitions(description);
        List<Instant> edges = new ArrayList<>();
        for (Instant t = to; t.isAfter(from); t = t.minus(bucket)) {
            edges.add(0, t);
        }
        edges.add(0, from);
        Map<TopicPartition, Long> end = ops.topics().offsets(partitions, OffsetSpec.latest());
        List<Long> offsetAtEdge = new ArrayList<>();
        for (int i = 0; i < edges.size() - 1; i++) {
            offsetAtEdge.add(sumOfOffsetsAt(ops, partitions, edges.get(i), end));
        }
        offsetAtEdge.add(end.values().stream().mapToLong(Long::longValue).sum());
        List<Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < edges.size() - 1; i++) {
            // Out-of-order timestamps can make a later edge's offset smaller; a negative count means nothing.
            buckets.add(new Bucket(edges.get(i), Math.max(0, offsetAtEdge.get(i + 1) - offsetAtEdge.get(i))));
        }
        return new Throughput(topic, true, from, to, bucket, buckets);
    }

    /** Sum over partitions of the first offset at or after {@code t}; a partition with none after it counts its end. */
    private static long sumOfOffsetsAt(MeshOps ops, List<TopicPartition> partitions, Instant t, Map<TopicPartition, Long> end) {
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.forTimestamp(t.toEpochMilli())));
        try {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found =
                    ops.mesh().admin().listOffsets(request).all().get(30, TimeUnit.SECONDS);
            long sum = 0;
            for (TopicPartition tp : partitions) {
                ListOffsetsResult.ListOffsetsResultInfo info = found.get(tp);
                sum += info == null || info.offset() < 0 ? end.get(tp) : Math.min(info.offset(), end.get(tp));
            }
            return sum;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted reading offsets of " + partitions.get(0).topic(), e);
        } catch (Exception e) {
            throw new MeshException("cannot read offsets of " + partitions.get(0).topic() + " at " + t + ": " + e.getMessage(), e);
        }
    }
}
