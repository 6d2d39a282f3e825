package dev.mesh.sdk.ops;

import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.serde.AvroDeserializer;
import dev.mesh.sdk.serde.AvroJson;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The newest records of a product across all its partitions, decoded, PII masked: what a catalog page shows.
 * Unlike a tail, which stops after n records from whichever partitions answer first, this reads the last n of
 * every partition and keeps the n newest by timestamp.
 */
public final class NewestRecords {
    private NewestRecords() {
    }

    /** Empty when the product's topic does not exist. */
    public static List<TailRecord> read(MeshOps ops, ProductEntry product, int n) {
        var description = ops.describe(product.topic());
        if (description.isEmpty() || n <= 0) {
            return List.of();
        }
        List<TopicPartition> partitions = MeshOps.partitions(description.get());
        AvroDeserializer<GenericRecord> decode = new AvroDeserializer<>();
        decode.configure(ops.mesh().config(), false);
        List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = ops.consumer(Optional.empty())) {
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
        }
        return read.stream().sorted(Comparator.comparingLong((ConsumerRecord<String, byte[]> r) -> r.timestamp()).reversed())
                .limit(n).map(r -> decoded(r, decode)).toList();
    }

    private static TailRecord decoded(ConsumerRecord<String, byte[]> r, AvroDeserializer<GenericRecord> decode) {
        if (r.value() == null) {
            return new TailRecord(r.topic(), r.key(), r.partition(), r.offset(), r.timestamp(), MeshOps.text("(tombstone)"), null);
        }
        try {
            return new TailRecord(r.topic(), r.key(), r.partition(), r.offset(), r.timestamp(),
                    AvroJson.toJson(decode.deserialize(r.topic(), r.value()), AvroJson.taggedWith(MeshOps.pii())), null);
        } catch (RuntimeException e) {
            return new TailRecord(r.topic(), r.key(), r.partition(), r.offset(), r.timestamp(), null, e.getMessage());
        }
    }
}
