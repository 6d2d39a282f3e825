package dev.mesh.catalog;

import dev.mesh.sdk.catalog.ProductEntry;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How fresh a product is against its freshness SLO: the age of its newest record and, for a derived product, how far
 * its Streams app is behind on its inputs (a stuck app shows there while its last output still looks recent).
 *
 * @param status          {@code fresh}, {@code stale} (older than the SLO, or its app further behind), {@code no-data}
 *                        (empty topic), {@code no-slo} (the contract promises none) or {@code topic-missing}
 * @param inputLagSeconds for a derived product, the age of the oldest input record its app has not read; null when
 *                        it has read everything or the product is not derived
 */
public record Freshness(String status, Instant newest, Long ageSeconds, Long sloSeconds, Long inputLagSeconds) {
    public static final String FRESH = "fresh";
    public static final String STALE = "stale";
    public static final String NO_DATA = "no-data";
    public static final String NO_SLO = "no-slo";
    public static final String TOPIC_MISSING = "topic-missing";

    public static Freshness assess(ProductEntry p, TopicState topic, Instant now, Optional<Duration> inputLag) {
        Long slo = p.freshness() == null ? null : Duration.parse(p.freshness()).toSeconds();
        Long lag = inputLag.map(Duration::toSeconds).orElse(null);
        if (topic == null || !topic.exists()) {
            return new Freshness(TOPIC_MISSING, null, null, slo, lag);
        }
        if (topic.newest() == null) {
            return new Freshness(NO_DATA, null, null, slo, lag);
        }
        long age = Math.max(0, Duration.between(topic.newest(), now).toSeconds());
        String status = slo == null ? NO_SLO : age > slo || (lag != null && lag > slo) ? STALE : FRESH;
        return new Freshness(status, topic.newest(), age, slo, lag);
    }
}
