package dev.mesh.sdk.ops;

import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ConsumerEntry;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.internal.publish.DeadLetters;
import dev.mesh.sdk.internal.serde.AvroDeserializer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Every place a product's dead letters can be: its own DLQ, its consumers' DLQs ({@code <topic>.<group>.dlq}) and the
 * DLQs of the Streams apps that read it ({@code <application id>.dlq}, filtered by the records' origin). So no dead
 * letter of a product is out of sight, wherever it was refused.
 */
final class DeadLetterQueues {
    /** A shared Streams DLQ is scanned at most this far for a count; beyond, the count is a lower bound. */
    static final int MAX_SCAN = 10_000;

    private DeadLetterQueues() {
    }

    static List<DeadLetterQueue> of(MeshOps ops, ProductEntry p, CatalogSnapshot catalog) {
        return of(p, catalog, topics(ops));
    }

    /** @param topics every topic of the cluster */
    static List<DeadLetterQueue> of(ProductEntry p, CatalogSnapshot catalog, Set<String> topics) {
        List<DeadLetterQueue> out = new ArrayList<>();
        String own = MeshOps.dlqOf(p);
        out.add(DeadLetterQueue.publisher(own));
        String prefix = p.topic() + ".";
        for (String t : topics) {
            if (!t.equals(own) && t.startsWith(prefix) && t.endsWith(".dlq") && t.length() > prefix.length() + 4) {
                out.add(DeadLetterQueue.consumer(t, t.substring(prefix.length(), t.length() - 4)));
            }
        }
        for (ConsumerEntry c : catalog.consumersOf(p.topic())) {
            String appDlq = Naming.streamsDlqTopic(c.group());
            if (ConsumerEntry.STREAMS.equals(c.kind()) && topics.contains(appDlq)) {
                out.add(DeadLetterQueue.streamsApp(appDlq, c.group()));
            }
        }
        return out;
    }

    static java.util.Map<DeadLetterQueue, Long> counts(MeshOps ops, ProductEntry p, CatalogSnapshot catalog, Set<String> topics) {
        java.util.Map<DeadLetterQueue, Long> out = new java.util.LinkedHashMap<>();
        tallies(ops, p, catalog, topics).forEach((q, t) -> out.put(q, t.deadLetters()));
        return out;
    }

    /**
     * Per queue: the product's dead letters, and how many of them a reader refused on read (it could not decode the
     * record, or the record broke the product's contract): records the product holds that it should not.
     */
    static java.util.Map<DeadLetterQueue, DeadLetterTally> tallies(MeshOps ops, ProductEntry p, CatalogSnapshot catalog, Set<String> topics) {
        java.util.Map<DeadLetterQueue, DeadLetterTally> out = new java.util.LinkedHashMap<>();
        of(p, catalog, topics).forEach(q -> out.put(q, tally(ops, q, p)));
        return out;
    }

    /** How many dead letters of the product the queue holds, and how many of them its reader refused on read. */
    static DeadLetterTally tally(MeshOps ops, DeadLetterQueue queue, ProductEntry p) {
        if (queue.isPublisher()) {
            long refused = count(ops, queue, p);
            return new DeadLetterTally(refused, 0, refused);
        }
        long[] n = {0, 0};
        int[] scanned = {0};
        Predicate<ConsumerRecord<String, byte[]>> mine = belongsTo(queue, p);
        scan(ops, queue.topic(), r -> true, r -> {
            if (mine.test(r)) {
                n[0]++;
                if (dev.mesh.sdk.internal.streams.StreamsDeadLetters.STAGE_DECODE.equals(DeadLetters.header(r.headers(), DeadLetters.DLQ_STAGE))) {
                    n[1]++;
                }
            }
            return ++scanned[0] < MAX_SCAN;
        });
        // beyond the scan, an unshared queue's size is still known from its offsets
        return new DeadLetterTally(queue.sharedWithOtherInputs() ? n[0] : Math.max(n[0], count(ops, queue, p)), n[1], 0);
    }

    static Set<String> topics(MeshOps ops) {
        try {
            return new TreeSet<>(ops.mesh().admin().listTopics().names().get(MeshOps.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (Exception e) {
            throw new MeshException("cannot list topics: " + e.getMessage(), e);
        }
    }

    /** Dead letters of the product in the queue, oldest first, up to {@code limit} (0: all). */
    static List<DeadLetter> read(MeshOps ops, DeadLetterQueue queue, ProductEntry p, int limit) {
        List<DeadLetter> out = new ArrayList<>();
        AvroDeserializer<GenericRecord> decode = new AvroDeserializer<>();
        decode.configure(ops.mesh().config(), false);
        scan(ops, queue.topic(), belongsTo(queue, p), r -> {
            out.add(DeadLetter.of(r, queue, p.topic(), decode));
            return limit <= 0 || out.size() < limit;
        });
        return out;
    }

    /** How many of the product's dead letters the queue holds. */
    static long count(MeshOps ops, DeadLetterQueue queue, ProductEntry p) {
        if (!queue.sharedWithOtherInputs()) {
            return ops.topics().describe(queue.topic()).map(d -> {
                List<TopicPartition> parts = TopicReader.partitions(d);
                Map<TopicPartition, Long> start = ops.topics().offsets(parts, OffsetSpec.earliest());
                Map<TopicPartition, Long> end = ops.topics().offsets(parts, OffsetSpec.latest());
                return parts.stream().mapToLong(tp -> end.get(tp) - start.get(tp)).sum();
            }).orElse(0L);
        }
        long[] n = {0};
        int[] scanned = {0};
        Predicate<ConsumerRecord<String, byte[]>> mine = belongsTo(queue, p);
        scan(ops, queue.topic(), r -> true, r -> {
            if (mine.test(r)) {
                n[0]++;
            }
            return ++scanned[0] < MAX_SCAN;
        });
        return n[0];
    }

    private static Predicate<ConsumerRecord<String, byte[]>> belongsTo(DeadLetterQueue queue, ProductEntry p) {
        return r -> !queue.sharedWithOtherInputs()
                || p.topic().equals(DeadLetters.header(r.headers(), DeadLetters.ORIGIN_TOPIC));
    }

    private interface Visitor {
        /** @return whether to go on */
        boolean visit(ConsumerRecord<String, byte[]> record);
    }

    /** Reads the topic from its start to its current end (committed records), visiting those that match. */
    private static void scan(MeshOps ops, String topic, Predicate<ConsumerRecord<String, byte[]>> match, Visitor visitor) {
        Optional<org.apache.kafka.clients.admin.TopicDescription> d = ops.topics().describe(topic);
        if (d.isEmpty()) {
            return;
        }
        List<TopicPartition> parts = TopicReader.partitions(d.get());
        Map<TopicPartition, Long> end = ops.topics().offsets(parts, OffsetSpec.latest());
        ops.topics().read(consumer -> {
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new MeshException("timed out reading " + topic);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition())) && match.test(r)
                            && !visitor.visit(r)) {
                        return null;
                    }
                }
            }
            return null;
        });
    }
}
