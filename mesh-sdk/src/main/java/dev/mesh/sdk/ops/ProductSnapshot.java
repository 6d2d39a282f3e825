package dev.mesh.sdk.ops;

import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.internal.quality.CheckedDeserializer;
import dev.mesh.sdk.internal.serde.AvroDeserializer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One cut of a product's topic for a query: every record up to the end offsets taken when it starts (read_committed),
 * or up to an instant by offsets-for-times, decoded through the product's contract (a record written around the SDK
 * that breaks it, or that does not decode, is skipped with its reason, never shown), each value decoded in clear (the
 * reader masks: one read serves every caller). Records come in offset order per partition.
 */
public final class ProductSnapshot {
    private static final Duration POLL = Duration.ofMillis(200);

    private final MeshOps ops;
    private final ProductEntry product;
    private final Deserializer<GenericRecord> decoder;

    ProductSnapshot(MeshOps ops, ProductEntry product, Optional<ProductContract> contract) {
        this.ops = ops;
        this.product = product;
        AvroDeserializer<GenericRecord> avro = new AvroDeserializer<>();
        avro.configure(ops.mesh().config(), false);
        this.decoder = contract.<Deserializer<GenericRecord>>map(c -> new CheckedDeserializer<>(avro, c, ops.mesh().registry(), Instant::now))
                .orElse(avro);
    }

    /**
     * A record of the cut: {@code value} is null for a tombstone and for a record that was skipped, whose
     * {@code skipped} says why; {@code bytes} is its key's and value's size in the topic (what a reader that holds rows
     * bounds its memory by).
     */
    public record Row(String key, int partition, long offset, Instant timestamp, GenericRecord value, String skipped, int bytes) {
        /** A row whose size in the topic is not known. */
        public Row(String key, int partition, long offset, Instant timestamp, GenericRecord value, String skipped) {
            this(key, partition, offset, timestamp, value, skipped, 0);
        }

        public boolean isSkipped() {
            return skipped != null;
        }
    }

    /** The end of the cut per partition: now, or the first offset at or after {@code asOf}. */
    public Map<TopicPartition, Long> cut(Optional<Instant> asOf) {
        TopicDescription topic = ops.topics().describe(product.topic()).orElseThrow(() ->
                new MeshException("product " + product.product() + " has no topic " + product.topic()));
        List<TopicPartition> partitions = TopicReader.partitions(topic);
        Map<TopicPartition, Long> end = ops.topics().committedOffsets(partitions, OffsetSpec.latest());
        if (asOf.isEmpty()) {
            return end;
        }
        Map<TopicPartition, Long> at = ops.topics().committedOffsets(partitions, OffsetSpec.forTimestamp(asOf.get().toEpochMilli()));
        Map<TopicPartition, Long> cut = new HashMap<>();
        // no record at or after the instant: the whole partition is older
        partitions.forEach(tp -> cut.put(tp, at.getOrDefault(tp, -1L) < 0 ? end.get(tp) : at.get(tp)));
        return cut;
    }

    /** The first offset each partition still holds. */
    public Map<TopicPartition, Long> earliest(Map<TopicPartition, Long> cut) {
        return ops.topics().offsets(List.copyOf(cut.keySet()), OffsetSpec.earliest());
    }

    /**
     * Reads from {@code from} (per partition, at least the earliest) up to {@code cut}, until done or cancelled.
     *
     * @return the records read
     */
    public long read(Map<TopicPartition, Long> from, Map<TopicPartition, Long> cut, Consumer<Row> sink, BooleanSupplier cancelled) {
        Map<TopicPartition, Long> earliest = earliest(cut);
        return ops.topics().read(consumer -> {
            long rows = 0;
            List<TopicPartition> open = cut.keySet().stream()
                    .filter(tp -> Math.max(from.getOrDefault(tp, 0L), earliest.getOrDefault(tp, 0L)) < cut.get(tp)).toList();
            consumer.assign(open);
            open.forEach(tp -> consumer.seek(tp, Math.max(from.getOrDefault(tp, 0L), earliest.getOrDefault(tp, 0L))));
            while (!cancelled.getAsBoolean() && open.stream().anyMatch(tp -> consumer.position(tp) < cut.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() >= cut.get(tp)) {
                        continue;
                    }
                    Instant at = Instant.ofEpochMilli(r.timestamp());
                    int bytes = Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
                    rows++;
                    if (r.value() == null) {
                        sink.accept(new Row(r.key(), r.partition(), r.offset(), at, null, null, bytes));
                        continue;
                    }
                    GenericRecord value;
                    try {
                        value = decoder.deserialize(r.topic(), r.value());
                    } catch (RuntimeException e) {
                        sink.accept(new Row(r.key(), r.partition(), r.offset(), at, null,
                                r.topic() + " partition " + r.partition() + " offset " + r.offset() + ": " + e.getMessage(), bytes));
                        continue;
                    }
                    sink.accept(new Row(r.key(), r.partition(), r.offset(), at, value, null, bytes));
                }
            }
            return rows;
        });
    }
}
