package dev.mesh.sdk.ops;

import dev.mesh.sdk.catalog.ProductEntry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A product as ops see it: its catalog entry and what its topic says now.
 *
 * @param topicExists      false when the catalog knows the product but its topic is gone
 * @param records          records in the topic (offset span; transaction markers included)
 * @param newest           timestamp of the newest record, empty for an empty topic
 * @param freshnessBreached the newest record is older than the contract's freshness SLO
 * @param deadLetters      records in the product's DLQ
 */
public record ProductStatus(ProductEntry entry, boolean topicExists, int partitions, long records,
                            Optional<Instant> newest, boolean freshnessBreached, long deadLetters,
                            List<ConsumerLag> consumers) {

    public Optional<Duration> age(Instant now) {
        return newest.map(n -> Duration.between(n, now));
    }
}
