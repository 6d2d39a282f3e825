package dev.mesh.sdk.ops;

import dev.mesh.sdk.json.AvroJson;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.contract.QualityRule;
import dev.mesh.sdk.internal.quality.CompiledRules;
import dev.mesh.sdk.internal.serde.AvroDeserializer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Reads a product's records decoded to JSON, like kcat but knowing products: from the end, the beginning, an
 * offset or a time; only the partition a key hashes to (the producer's murmur2 partitioner); only records a CEL
 * expression accepts; PII-tagged fields masked unless revealed.
 */
public final class RecordReader {
    private final MeshOps ops;
    private final ProductEntry product;
    private final AvroDeserializer<GenericRecord> deserializer;
    private final Map<Schema, CompiledRules> filters = new IdentityHashMap<>();

    RecordReader(MeshOps ops, ProductEntry product) {
        this.ops = ops;
        this.product = product;
        this.deserializer = new AvroDeserializer<>();
        this.deserializer.configure(ops.mesh().config(), false);
    }

    /** Why encrypted fields read so far were shown as {@code ***} (the registry refused this principal their key), or null. */
    public String refusal() {
        return deserializer.refusal();
    }

    /** The partition the producer's default partitioner puts this key in. */
    public static int partitionFor(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Reads until {@code sink} returns false, the limit is reached, {@code cancelled} says so, or (no follow) the end. */
    public void read(TailOptions o, Predicate<TailRecord> sink, BooleanSupplier cancelled) {
        if (o.lastN()) {
            List<TailRecord> newest = new ArrayList<>(newest(o.limit(), o.reveal()));
            java.util.Collections.reverse(newest);
            for (TailRecord r : newest) {
                if (cancelled.getAsBoolean() || !sink.test(r)) {
                    return;
                }
            }
            return;
        }
        TopicDescription topic = ops.topics().describe(product.topic()).orElseThrow(() ->
                new MeshException("product " + product.product() + " has no topic " + product.topic()));
        List<TopicPartition> partitions = TopicReader.partitions(topic);
        if (o.key().isPresent()) {
            partitions = List.of(new TopicPartition(product.topic(), partitionFor(o.key().get(), partitions.size())));
        }
        Map<TopicPartition, Long> start = ops.topics().offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> end = ops.topics().offsets(partitions, OffsetSpec.latest());
        List<TopicPartition> read = partitions;
        ops.topics().read(consumer -> {
            consumer.assign(read);
            position(consumer, read, start, end, o);
            int printed = 0;
            while (!cancelled.getAsBoolean()) {
                if (!o.follow() && read.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                    return null;
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (o.key().isPresent() && !o.key().get().equals(r.key())) {
                        continue;
                    }
                    TailRecord decoded = decode(r, o);
                    if (decoded == null) {
                        continue;
                    }
                    if (!sink.test(decoded) || (o.limit() > 0 && ++printed >= o.limit())) {
                        return null;
                    }
                }
            }
            return null;
        });
    }

    /**
     * The n newest records across all partitions, newest first: the last n of every partition, kept by timestamp.
     * Empty when the product's topic does not exist.
     */
    public List<TailRecord> newest(int n, boolean reveal) {
        var description = ops.topics().describe(product.topic());
        if (description.isEmpty() || n <= 0) {
            return List.of();
        }
        List<TopicPartition> partitions = TopicReader.partitions(description.get());
        TailOptions decoding = new TailOptions(false, java.util.OptionalLong.empty(), Optional.empty(), n, Optional.empty(),
                Optional.empty(), reveal, false);
        List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
        ops.topics().read(consumer -> {
            consumer.assign(partitions);
            // The consumer's own end offsets: under read_committed they stop before an open transaction.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions);
            partitions.forEach(tp -> consumer.seek(tp, Math.max(start.get(tp), end.get(tp) - n)));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        read.add(r);
                    }
                }
            }
            return null;
        });
        return read.stream().sorted(java.util.Comparator.comparingLong((ConsumerRecord<String, byte[]> r) -> r.timestamp()).reversed())
                .limit(n).map(r -> decode(r, decoding)).toList();
    }

    public List<TailRecord> read(TailOptions o) {
        List<TailRecord> out = new ArrayList<>();
        read(o, out::add, () -> false);
        return out;
    }

    private void position(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions,
                          Map<TopicPartition, Long> start, Map<TopicPartition, Long> end, TailOptions o) {
        if (o.offset().isPresent()) {
            long offset = o.offset().getAsLong();
            partitions.forEach(tp -> consumer.seek(tp, Math.max(start.get(tp), Math.min(offset, end.get(tp)))));
        } else if (o.since().isPresent()) {
            long from = Instant.now().minus(o.since().get()).toEpochMilli();
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, from));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            partitions.forEach(tp -> consumer.seek(tp, found.get(tp) == null ? end.get(tp) : found.get(tp).offset()));
        } else if (o.fromBeginning()) {
            consumer.seekToBeginning(partitions);
        } else if (o.limit() > 0 && !o.follow()) {
            partitions.forEach(tp -> consumer.seek(tp, Math.max(start.get(tp), end.get(tp) - o.limit())));
        } else {
            consumer.seekToEnd(partitions);
        }
    }

    private TailRecord decode(ConsumerRecord<String, byte[]> r, TailOptions o) {
        if (r.value() == null) {
            return new TailRecord(r.topic(), r.key(), r.partition(), r.offset(), r.timestamp(), MeshOps.text("(tombstone)"), null);
        }
        GenericRecord value;
        try {
            value = deserializer.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            return o.filter().isPresent() ? null
                    : new TailRecord(r.topic(), r.key(), r.partition(), r.offset(), r.timestamp(), null, e.getMessage());
        }
        if (o.filter().isPresent() && filter(value.getSchema(), o.filter().get()).check(value) != null) {
            return null;
        }
        JsonNode json = AvroJson.toJson(value, o.reveal() ? f -> false : AvroJson.taggedWith(MeshOps.pii()));
        return new TailRecord(r.topic(), r.key(), r.partition(), r.offset(), r.timestamp(), json, null);
    }

    private CompiledRules filter(Schema schema, String expression) {
        return filters.computeIfAbsent(schema, s -> {
            try {
                return CompiledRules.compile(s, List.of(new QualityRule("filter", expression, null, QualityRule.OnFailure.ERROR, 0)));
            } catch (RuntimeException e) {
                throw new MeshException("filter '" + expression + "' does not compile against " + s.getFullName()
                        + ": " + e.getMessage(), e);
            }
        });
    }
}
