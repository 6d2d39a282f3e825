package dev.mesh.sdk.ops;

import dev.mesh.sdk.catalog.ProductEntry;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A product as ops see it: its catalog entry and what its topic says now.
 *
 * @param topicExists      false when the catalog knows the product but its topic is gone
 * @param records          records in the topic (offset span; transaction markers included)
 * @param newest           timestamp of the newest record, empty for an empty topic
 * @param freshnessBreached the product is stale against its freshness SLO: its newest record is older, or (derived)
 *                          its Streams app is further behind on its inputs
 * @param inputLag         for a derived product, how far behind its Streams app is on its inputs (the age of the
 *                          oldest input record it has not read), empty when it has read everything or is not derived
 * @param deadLetters      the product's dead letters in every queue: its own DLQ, its consumers' and its Streams
 *                          readers' ({@link MeshOps#deadLetterQueues})
 * @param refusedOnRead    of those, the records its readers refused on read: undecodable, or breaking its contract.
 *                          Not zero means the product holds records it should not (an integrity failure of its owner)
 */
public record ProductStatus(ProductEntry entry, boolean topicExists, int partitions, long records,
                            Optional<Instant> newest, boolean freshnessBreached, Optional<Duration> inputLag,
                            long deadLetters, long refusedOnRead, List<ConsumerLag> consumers) {

    public Optional<Duration> age(Instant now) {
        return newest.map(n -> Duration.between(n, now));
    }

    /** Whether a product is stale against its freshness SLO: its newest record older, or its app further behind. */
    public static boolean freshnessBreached(ProductEntry p, Optional<Instant> newest, Optional<Duration> inputLag, Instant now) {
        if (p.freshness() == null) {
            return false;
        }
        Duration slo = Duration.parse(p.freshness());
        return newest.map(n -> Duration.between(n, now).compareTo(slo) > 0).orElse(true)
                || inputLag.map(l -> l.compareTo(slo) > 0).orElse(false);
    }

    /** The status as {@code mesh products --json} prints it and the catalog's {@code /api/ops/products} serves it. */
    public Map<String, Object> row(Instant now) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("product", entry.product());
        row.put("version", entry.version());
        row.put("owner", entry.ownerTeam());
        row.put("topic", entry.topic());
        row.put("topicExists", topicExists);
        row.put("partitions", partitions);
        row.put("records", records);
        row.put("newestRecord", newest.map(Instant::toString).orElse(null));
        row.put("ageSeconds", age(now).map(Duration::getSeconds).orElse(null));
        row.put("freshnessSlo", entry.freshness());
        row.put("freshnessBreached", freshnessBreached);
        inputLag.ifPresent(l -> row.put("inputLagSeconds", l.toSeconds()));
        row.put("deadLetters", deadLetters);
        row.put("refusedOnRead", refusedOnRead);
        row.put("consumers", consumers.stream().map(ConsumerLag::group).distinct().toList());
        if (entry.isDeprecated()) {
            row.put("successor", entry.successor());
            row.put("sunset", entry.sunset().toString());
        }
        return row;
    }
}
