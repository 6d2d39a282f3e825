package dev.mesh.sdk.ops;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.errors.MeshException;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** What ops read of topics themselves: descriptions, offsets, record times, and read-only consumers. */
public final class TopicReader implements AutoCloseable {
    static final Duration TIMEOUT = MeshOps.TIMEOUT;
    /** Consumers kept for the next read: a service reading on request (the catalog) signs in once per consumer. */
    private static final int IDLE = 2;
    private final Mesh mesh;
    private final java.util.Deque<KafkaConsumer<String, byte[]>> idle = new java.util.ArrayDeque<>();
    private boolean closed;

    TopicReader(Mesh mesh) {
        this.mesh = mesh;
    }

    /** Sum of the topic's end offsets (records ever written, markers included); 0 for a missing topic. */
    public long endOffset(String topic) {
        return describe(topic).map(d -> offsets(partitions(d), OffsetSpec.latest()).values().stream()
                .mapToLong(Long::longValue).sum()).orElse(0L);
    }

    public Optional<TopicDescription> describe(String topic) {
        try {
            return Optional.of(mesh.admin().describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic));
        } catch (ExecutionException e) {
            // Kafka answers a principal without DESCRIBE as if the topic were missing: it must not learn either way
            if (e.getCause() instanceof UnknownTopicOrPartitionException
                    || e.getCause() instanceof org.apache.kafka.common.errors.TopicAuthorizationException) {
                return Optional.empty();
            }
            throw new MeshException("cannot describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw new MeshException("cannot describe topic " + topic + ": " + e.getMessage(), e);
        }
    }

    public static List<TopicPartition> partitions(TopicDescription d) {
        return d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())).toList();
    }

    public Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
        return offsets(partitions, spec, org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED);
    }

    /** Offsets as a read_committed reader sees them: the latest is the last stable offset, before any open transaction. */
    public Map<TopicPartition, Long> committedOffsets(List<TopicPartition> partitions, OffsetSpec spec) {
        return offsets(partitions, spec, org.apache.kafka.common.IsolationLevel.READ_COMMITTED);
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec,
                                              org.apache.kafka.common.IsolationLevel isolation) {
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        try {
            Map<TopicPartition, Long> out = new HashMap<>();
            mesh.admin().listOffsets(request, new org.apache.kafka.clients.admin.ListOffsetsOptions(isolation)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        } catch (Exception e) {
            throw new MeshException("cannot read offsets of " + partitions + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether any of these partitions holds a committed record yet (read-committed end offsets, in one request). A
     * partition Kafka does not answer for, e.g. of a topic not created yet or one the caller may not describe, counts
     * as empty: this answers "has anything arrived", not how much.
     */
    public boolean anyCommitted(List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        var result = mesh.admin().listOffsets(request,
                new org.apache.kafka.clients.admin.ListOffsetsOptions(org.apache.kafka.common.IsolationLevel.READ_COMMITTED));
        for (TopicPartition tp : partitions) {
            try {
                if (result.partitionResult(tp).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset() > 0) {
                    return true;
                }
            } catch (ExecutionException e) {
                // not there (yet): nothing committed
            } catch (Exception e) {
                throw new MeshException("cannot read offsets of " + tp + ": " + e.getMessage(), e);
            }
        }
        return false;
    }

    public KafkaConsumer<byte[], byte[]> bytesConsumer() {
        Map<String, Object> c = new HashMap<>(mesh.kafkaProperties());
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        c.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    public KafkaConsumer<String, byte[]> consumer(Optional<String> group) {
        Map<String, Object> c = new HashMap<>(mesh.kafkaProperties());
        group.ifPresentOrElse(g -> c.put(ConsumerConfig.GROUP_ID_CONFIG, g), () -> c.remove(ConsumerConfig.GROUP_ID_CONFIG));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Runs {@code read} with a consumer of no group (read_committed; the read assigns and seeks), one kept from an
     * earlier read when there is one. It is kept again, unassigned, once the read returns; a read that fails closes it.
     */
    public <T> T read(java.util.function.Function<KafkaConsumer<String, byte[]>, T> read) {
        KafkaConsumer<String, byte[]> consumer;
        synchronized (idle) {
            consumer = idle.poll();
        }
        if (consumer == null) {
            consumer = consumer(Optional.empty());
        }
        boolean kept = false;
        try {
            T result = read.apply(consumer);
            kept = keep(consumer);
            return result;
        } finally {
            if (!kept) {
                consumer.close();
            }
        }
    }

    private boolean keep(KafkaConsumer<String, byte[]> consumer) {
        consumer.assign(List.of());
        synchronized (idle) {
            if (closed || idle.size() >= IDLE) {
                return false;
            }
            idle.push(consumer);
            return true;
        }
    }

    /** Closes the consumers kept for later reads. */
    @Override
    public void close() {
        synchronized (idle) {
            closed = true;
            idle.forEach(KafkaConsumer::close);
            idle.clear();
        }
    }

    /** The newest record time over these partitions, if any record has one. */
    public Optional<Instant> newestTimestamp(List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
        partitions.forEach(tp -> spec.put(tp, OffsetSpec.maxTimestamp()));
        try {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
                    mesh.admin().listOffsets(spec).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return result.values().stream().filter(r -> r.offset() >= 0 && r.timestamp() >= 0)
                    .map(r -> Instant.ofEpochMilli(r.timestamp())).max(Instant::compareTo);
        } catch (Exception e) {
            throw new MeshException("cannot read the newest timestamps of " + partitions + ": " + e.getMessage(), e);
        }
    }

    /** Timestamp of the first record at or after {@code offset}: the oldest one a group has not read. */
    /** Offsets closer than this to the next one wanted are read through rather than sought. */
    private static final long READ_THROUGH = 5_000;

    /**
     * The timestamps of the records at these offsets (the first record at or after each: what a group at that offset
     * reads next), by one consumer: each partition is read forward from its lowest offset, through offsets close
     * together and with a seek over wide gaps, so any number of groups on a partition cost a fetch or a few. An offset
     * whose record is gone, or not read within the bound, is left out.
     */
    public Map<TopicPartition, Map<Long, Instant>> timestampsAt(Map<TopicPartition, Set<Long>> offsets) {
        Map<TopicPartition, Map<Long, Instant>> out = new HashMap<>();
        Map<TopicPartition, java.util.TreeSet<Long>> remaining = new HashMap<>();
        offsets.forEach((tp, at) -> {
            if (!at.isEmpty()) {
                remaining.put(tp, new java.util.TreeSet<>(at));
            }
        });
        if (remaining.isEmpty()) {
            return out;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = bytesConsumer()) {
            consumer.assign(remaining.keySet());
            remaining.forEach((tp, at) -> consumer.seek(tp, at.first()));
            // where a read_committed reader stops: past it only transaction markers and aborted records remain
            Map<TopicPartition, Long> ends = consumer.endOffsets(remaining.keySet(), Duration.ofSeconds(10));
            while (!remaining.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    java.util.TreeSet<Long> wanted = remaining.get(tp);
                    if (wanted == null) {
                        continue;
                    }
                    var reached = wanted.headSet(r.offset(), true);
                    reached.forEach(w -> out.computeIfAbsent(tp, k -> new HashMap<>()).put(w, Instant.ofEpochMilli(r.timestamp())));
                    reached.clear();
                    if (wanted.isEmpty()) {
                        remaining.remove(tp);
                        consumer.pause(List.of(tp));
                    } else if (wanted.first() - r.offset() > READ_THROUGH) {
                        consumer.seek(tp, wanted.first());
                    }
                }
                remaining.keySet().removeIf(tp -> {
                    boolean done = consumer.position(tp) >= ends.getOrDefault(tp, Long.MAX_VALUE);
                    if (done) {
                        consumer.pause(List.of(tp));
                    }
                    return done;
                });
            }
        }
        return out;
    }

}
