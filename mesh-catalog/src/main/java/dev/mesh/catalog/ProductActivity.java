package dev.mesh.catalog;

import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.ops.DeadLetterHistory;
import dev.mesh.sdk.ops.MeshOps;
import dev.mesh.sdk.ops.Throughput;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How much a product carries over time, and how much of it its quality rules turned away. */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class ProductActivity {
    static final Duration THROUGHPUT_WINDOW = Duration.ofHours(1);
    static final Duration THROUGHPUT_BUCKET = Duration.ofMinutes(5);
    static final Duration QUALITY_WINDOW = Duration.ofHours(24);
    static final Duration QUALITY_BUCKET = Duration.ofHours(1);
    private static final int QUALITY_MAX_RECORDS = 50_000;

    private final MeshOps ops;
    private final CatalogSnapshots snapshots;

    ProductActivity(MeshOps ops, CatalogSnapshots snapshots) {
        this.ops = ops;
        this.snapshots = snapshots;
    }

    /** @param perMinute average over the window */
    public record ThroughputView(String topic, boolean topicExists, Instant from, Instant to, long bucketSeconds,
                                 List<Throughput.Bucket> buckets, long total, double perMinute, String note) {
    }

    /**
     * @param rules   the contract's rules, each with its counts per bucket (zeros when it refused nothing), then
     *                any other cause found in the DLQ (a consumer's stage, a rule since removed)
     */
    public record QualityView(String dlqTopic, boolean dlqExists, Instant from, Instant to, long bucketSeconds,
                              List<Instant> bucketStarts, List<RuleCounts> rules, long total, boolean truncated) {
    }

    /** @param inContract false for a cause the current contract does not name */
    public record RuleCounts(String rule, String expr, String onFailure, String doc, boolean inContract,
                             List<Long> counts, long total) {
    }

    public ThroughputView throughput(String idOrTopic) {
        ProductEntry p = snapshots.product(idOrTopic);
        Throughput t = Throughput.measure(ops, p.topic(), THROUGHPUT_WINDOW, THROUGHPUT_BUCKET);
        double minutes = Math.max(1, Duration.between(t.from(), t.to()).toMinutes());
        return new ThroughputView(p.topic(), t.topicExists(), t.from(), t.to(), t.bucket().toSeconds(), t.buckets(),
                t.total(), Math.round(t.total() / minutes * 10) / 10.0,
                "counted from offsets: a transactional writer's commit markers count as records");
    }

    public QualityView quality(String idOrTopic) {
        ProductEntry p = snapshots.product(idOrTopic);
        DeadLetterHistory h = DeadLetterHistory.measure(ops, p, QUALITY_WINDOW, QUALITY_BUCKET, QUALITY_MAX_RECORDS);
        List<Long> zeros = h.bucketStarts().stream().map(s -> 0L).toList();
        Map<String, RuleCounts> rules = new LinkedHashMap<>();
        for (ProductEntry.Rule r : p.quality() == null ? List.<ProductEntry.Rule>of() : p.quality()) {
            List<Long> counts = h.perRule().getOrDefault(r.name(), zeros);
            rules.put(r.name(), new RuleCounts(r.name(), r.expr(), r.onFailure(), r.doc(), true, counts, sum(counts)));
        }
        h.perRule().forEach((rule, counts) -> rules.putIfAbsent(rule,
                new RuleCounts(rule, null, null, null, false, counts, sum(counts))));
        return new QualityView(h.dlqTopic(), h.topicExists(), h.from(), h.to(), h.bucket().toSeconds(), h.bucketStarts(),
                List.copyOf(rules.values()), h.total(), h.truncated());
    }

    private static long sum(List<Long> counts) {
        return counts.stream().mapToLong(Long::longValue).sum();
    }
}
