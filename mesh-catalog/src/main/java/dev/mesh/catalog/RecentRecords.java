package dev.mesh.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.ops.MeshOps;
import dev.mesh.sdk.ops.TailRecord;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;

/** The newest records of a product, decoded, with PII-tagged fields masked: the catalog never reveals them. */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class RecentRecords {
    public static final int MAX = 50;

    private final MeshOps ops;
    private final CatalogSnapshots snapshots;
    private final TopicProbe probe;

    RecentRecords(MeshOps ops, CatalogSnapshots snapshots, TopicProbe probe) {
        this.ops = ops;
        this.snapshots = snapshots;
        this.probe = probe;
    }

    /** @param error set instead of value when the record cannot be decoded */
    public record Row(int partition, long offset, Instant timestamp, String key, JsonNode value, String error) {
    }

    /** @param missing set when the product's topic does not exist */
    public record View(String topic, boolean piiMasked, List<Row> records, String missing) {
    }

    public View read(String idOrTopic, int limit) {
        ProductEntry p = snapshots.product(idOrTopic);
        if (!probe.probe(p.topic()).exists()) {
            return new View(p.topic(), true, List.of(), "topic " + p.topic() + " does not exist in the Kafka cluster");
        }
        List<TailRecord> read = ops.reader(p).newest(Math.max(1, Math.min(MAX, limit)), false);
        List<Row> rows = read.stream().map(r -> new Row(r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()), r.key(), r.value(), r.error()))
                .toList();
        return new View(p.topic(), true, rows, null);
    }
}
