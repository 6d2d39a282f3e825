package dev.mesh.sdk.ops;

import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.internal.publish.DeadLetters;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A product's dead letters per rule over time: every record of the window in each of the product's dead-letter
 * queues (its own, its consumers', its Streams readers'), redriven or not, counted by the rule (or stage) that
 * refused it and by time bucket. Reads only the window, and at most
 * {@code maxRecords} of it ({@code truncated} says so), because a DLQ that fills fast must not stall a page.
 *
 * @param perRule counts per bucket, aligned with {@code bucketStarts}, by rule name ({@code unknown} without one)
 */
public record DeadLetterHistory(String dlqTopic, boolean topicExists, Instant from, Instant to, Duration bucket,
                                List<Instant> bucketStarts, Map<String, List<Long>> perRule, boolean truncated) {
    static final String UNKNOWN_RULE = "unknown";

    public long total() {
        return perRule.values().stream().flatMap(List::stream).mapToLong(Long::longValue).sum();
    }

    public static DeadLetterHistory measure(MeshOps ops, ProductEntry product, Duration window, Duration bucket, int maxRecords) {
        if (bucket.isZero() || bucket.isNegative() || window.compareTo(bucket) < 0) {
            throw new IllegalArgumentException("the window " + window + " must hold at least one bucket of " + bucket);
        }
        String dlq = MeshOps.dlqOf(product);
        Instant to = Instant.now();
        Instant from = to.minus(window);
        List<Instant> starts = new ArrayList<>();
        for (Instant t = to.minus(bucket); t.isAfter(from); t = t.minus(bucket)) {
            starts.add(0, t);
        }
        starts.add(0, from);
        Map<String, long[]> counts = new TreeMap<>();
        boolean anyQueue = false;
        boolean truncated = false;
        int[] read = {0};
        for (DeadLetterQueue queue : DeadLetterQueues.of(ops, product, ops.catalog())) {
            TopicDescription description = ops.topics().describe(queue.topic()).orElse(null);
            if (description == null) {
                continue;
            }
            anyQueue = true;
            truncated |= count(ops, queue, product, description, starts, from, counts, read, maxRecords);
        }
        if (!anyQueue) {
            return new DeadLetterHistory(dlq, false, from, to, bucket, starts, Map.of(), false);
        }
        Map<String, List<Long>> perRule = new TreeMap<>();
        counts.forEach((rule, c) -> perRule.put(rule, java.util.Arrays.stream(c).boxed().toList()));
        return new DeadLetterHistory(dlq, true, from, to, bucket, starts, perRule, truncated);
    }

    /** Counts one queue's records of the window into {@code counts}; returns whether it stopped short. */
    private static boolean count(MeshOps ops, DeadLetterQueue queue, ProductEntry product, TopicDescription description,
                                 List<Instant> starts, Instant from, Map<String, long[]> counts, int[] read, int maxRecords) {
        List<TopicPartition> partitions = TopicReader.partitions(description);
        Map<TopicPartition, Long> end = ops.topics().offsets(partitions, OffsetSpec.latest());
        boolean truncated = false;
        try (KafkaConsumer<byte[], byte[]> consumer = ops.topics().bytesConsumer()) {
            consumer.assign(partitions);
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, from.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(query);
            partitions.forEach(tp -> consumer.seek(tp, start.get(tp) == null ? end.get(tp) : start.get(tp).offset()));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue;
                    }
                    if (queue.sharedWithOtherInputs()
                            && !product.topic().equals(DeadLetters.header(r.headers(), DeadLetters.ORIGIN_TOPIC))) {
                        continue;
                    }
                    int slot = slot(starts, Instant.ofEpochMilli(r.timestamp()));
                    if (slot >= 0) {
                        counts.computeIfAbsent(rule(r), k -> new long[starts.size()])[slot]++;
                    }
                    if (++read[0] >= maxRecords) {
                        truncated = true;
                        break;
                    }
                }
                if (truncated) {
                    break;
                }
            }
            truncated |= partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp));
        }
        return truncated;
    }

    private static String rule(ConsumerRecord<byte[], byte[]> r) {
        String rule = DeadLetters.header(r.headers(), DeadLetters.RULE_NAME);
        if (rule == null) {
            rule = DeadLetters.header(r.headers(), DeadLetters.DLQ_STAGE);
        }
        return rule == null ? UNKNOWN_RULE : rule;
    }

    /** The bucket a timestamp falls in, or -1 before the window (a record written with an old timestamp). */
    private static int slot(List<Instant> starts, Instant t) {
        for (int i = starts.size() - 1; i >= 0; i--) {
            if (!t.isBefore(starts.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
