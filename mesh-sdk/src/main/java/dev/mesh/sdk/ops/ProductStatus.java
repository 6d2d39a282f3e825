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
}
