package dev.mesh.catalog;

import dev.mesh.sdk.catalog.ProductEntry;

import java.time.Duration;
import java.time.Instant;

/**
 * How fresh a product is against its freshness SLO: the age of its newest record.
 *
 * @param status {@code fresh}, {@code stale} (older than the SLO), {@code no-data} (empty topic),
 *               {@code no-slo} (the contract promises none) or {@code topic-missing}
 */
public record Freshness(String status, Instant newest, Long ageSeconds, Long sloSeconds) {
    public static final String FRESH = "fresh";
    public static final String STALE = "stale";
    public static final String NO_DATA = "no-data";
    public static final String NO_SLO = "no-slo";
    public static final String TOPIC_MISSING = "topic-missing";

    public static Freshness assess(ProductEntry p, TopicState topic, Instant now) {
        Long slo = p.freshness() == null ? null : Duration.parse(p.freshness()).toSeconds();
        if (topic == null || !topic.exists()) {
            return new Freshness(TOPIC_MISSING, null, null, slo);
        }
        if (topic.newest() == null) {
            return new Freshness(NO_DATA, null, null, slo);
        }
        long age = Math.max(0, Duration.between(topic.newest(), now).toSeconds());
        String status = slo == null ? NO_SLO : age > slo ? STALE : FRESH;
        return new Freshness(status, topic.newest(), age, slo);
    }
}
