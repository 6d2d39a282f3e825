package dev.mesh.sdk.ops;

import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ProductEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Each product's status: records, freshness against its SLO, how far behind its inputs, dead letters, consumers. */
public final class ProductStatuses {
    private final MeshOps ops;

    ProductStatuses(MeshOps ops) {
        this.ops = ops;
    }

    public List<ProductStatus> products(CatalogSnapshot catalog) {
        List<ConsumerLag> lags = ops.lags().allLags(catalog);
        Set<String> topics = DeadLetterQueues.topics(ops);
        List<ProductStatus> out = new ArrayList<>();
        for (ProductEntry p : catalog.allProducts().stream().sorted(java.util.Comparator.comparing(ProductEntry::topic)).toList()) {
            out.add(status(p, lags, catalog, topics));
        }
        return out;
    }

    public ProductStatus status(ProductEntry p) {
        CatalogSnapshot catalog = ops.catalog();
        return status(p, ops.lags().allLags(catalog), catalog, DeadLetterQueues.topics(ops));
    }

    /**
     * The product's status with the lags already read: those of its consumers, and for a derived product those of
     * its Streams app ({@link MeshOps#lag(Optional)} of its application id), which say how far behind its inputs it is.
     */
    public ProductStatus status(ProductEntry p, List<ConsumerLag> lags, CatalogSnapshot catalog) {
        return status(p, lags, catalog, DeadLetterQueues.topics(ops));
    }

    private ProductStatus status(ProductEntry p, List<ConsumerLag> lags, CatalogSnapshot catalog, Set<String> topics) {
        Optional<TopicDescription> topic = ops.topics().describe(p.topic());
        if (topic.isEmpty()) {
            return new ProductStatus(p, false, 0, 0, Optional.empty(), false, Optional.empty(), 0, 0, List.of());
        }
        List<TopicPartition> partitions = TopicReader.partitions(topic.get());
        Map<TopicPartition, Long> start = ops.topics().offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> end = ops.topics().offsets(partitions, OffsetSpec.latest());
        long records = partitions.stream().mapToLong(tp -> end.get(tp) - start.get(tp)).sum();
        Optional<Instant> newest = ops.topics().newestTimestamp(partitions);
        Optional<Duration> inputLag = ConsumerLags.inputLag(p, lags);
        boolean breached = ProductStatus.freshnessBreached(p, newest, inputLag, Instant.now());
        var tallies = DeadLetterQueues.tallies(ops, p, catalog, topics).values();
        long dead = tallies.stream().mapToLong(DeadLetterTally::deadLetters).sum();
        long refusedOnRead = tallies.stream().mapToLong(DeadLetterTally::refusedOnRead).sum();
        List<ConsumerLag> consumers = lags.stream().filter(l -> l.topic().equals(p.topic())).toList();
        return new ProductStatus(p, true, partitions.size(), records, newest, breached, inputLag, dead, refusedOnRead, consumers);
    }

}
