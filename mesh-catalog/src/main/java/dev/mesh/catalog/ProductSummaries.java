package dev.mesh.catalog;

import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.ops.ConsumerLag;
import dev.mesh.sdk.ops.MeshOps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every product of the catalog with its freshness, consumer count and dead letters, measured in one pass. Consumer
 * lags and dead letters in every queue cost more than a topic probe, so they are measured at most every few seconds.
 */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class ProductSummaries {
    private static final Logger log = LoggerFactory.getLogger(ProductSummaries.class);
    private static final Duration SLOW_REFRESH = Duration.ofSeconds(5);

    private final CatalogSnapshots snapshots;
    private final TopicProbe probe;
    private final MeshOps ops;
    private Slow slow;
    private long slowAt;

    /** What takes a while to measure: every group's lag, and each product's dead letters in all its queues. */
    private record Slow(List<ConsumerLag> lags, Map<String, Long> deadLetters) {
    }

    ProductSummaries(CatalogSnapshots snapshots, TopicProbe probe, MeshOps ops) {
        this.snapshots = snapshots;
        this.probe = probe;
        this.ops = ops;
    }

    public List<ProductSummary> all() {
        CatalogSnapshot catalog = snapshots.current();
        List<ProductEntry> products = catalog.allProducts().stream().sorted(Comparator.comparing(ProductEntry::topic)).toList();
        Map<String, TopicState> states = probe.probe(products.stream().map(ProductEntry::topic).toList());
        Slow measured = slow(catalog, products);
        Instant now = Instant.now();
        return products.stream().map(p -> summary(p, catalog, states.get(p.topic()), now,
                MeshOps.inputLag(p, measured.lags()), measured.deadLetters().getOrDefault(p.topic(), 0L))).toList();
    }

    private synchronized Slow slow(CatalogSnapshot catalog, List<ProductEntry> products) {
        if (slow == null || System.nanoTime() - slowAt > SLOW_REFRESH.toNanos()) {
            List<ConsumerLag> lags;
            try {
                lags = ops.lag(Optional.empty());
            } catch (RuntimeException e) {
                log.warn("consumer lags unknown: {}", e.getMessage());
                lags = List.of();
            }
            Map<String, Long> dead = new HashMap<>();
            for (ProductEntry p : products) {
                try {
                    dead.put(p.topic(), ops.deadLetterCounts(p, catalog).values().stream().mapToLong(Long::longValue).sum());
                } catch (RuntimeException e) {
                    log.warn("dead letters of {} unknown: {}", p.topic(), e.getMessage());
                }
            }
            slow = new Slow(lags, dead);
            slowAt = System.nanoTime();
        }
        return slow;
    }

    public static ProductSummary summary(ProductEntry p, CatalogSnapshot catalog, TopicState topic, Instant now,
                                         Optional<Duration> inputLag, long deadLetters) {
        return new ProductSummary(p.product(), p.topic(), p.version(), CatalogSnapshots.domainOf(p), p.description(),
                p.ownerTeam(), p.ownerContact(), p.classification(), p.tags() == null ? List.of() : p.tags(),
                p.isDerived(), Freshness.assess(p, topic, now, inputLag), catalog.consumersOf(p.topic()).size(),
                deadLetters, pageOf(p, catalog));
    }

    static String dlqOf(ProductEntry p) {
        return p.dlqTopic() != null ? p.dlqTopic() : dev.mesh.sdk.contract.Naming.dlqTopic(p.topic());
    }

    /** The product's page: by id for its latest major, by topic for an older one still in the catalog. */
    public static String pageOf(ProductEntry p, CatalogSnapshot catalog) {
        boolean latest = catalog.latest(p.product()).map(l -> l.topic().equals(p.topic())).orElse(true);
        return "/products/" + (latest ? p.product() : p.topic());
    }
}
