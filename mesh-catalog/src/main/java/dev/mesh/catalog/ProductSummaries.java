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
    /** How old the lags and dead letters {@code mesh products} gets may be: older, that request measures them again. */
    private static final Duration OPS_MAX_AGE = Duration.ofSeconds(10);
    private final Object opsMeasurement = new Object();

    private final CatalogSnapshots snapshots;
    private final TopicProbe probe;
    private final MeshOps ops;
    private volatile Slow slow;
    private volatile long slowAt;
    /** One measurement at a time, off the requests' threads once there is a first one to answer with. */
    private final java.util.concurrent.atomic.AtomicBoolean measuring = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.ExecutorService measurer;

    /** What takes a while to measure: every group's lag, and each product's dead letters in all its queues. */
    private static final dev.mesh.sdk.ops.DeadLetterTally NONE = dev.mesh.sdk.ops.DeadLetterTally.NONE;

    private record Slow(List<ConsumerLag> lags, Map<String, dev.mesh.sdk.ops.DeadLetterTally> deadLetters) {
    }

    private final io.micrometer.core.instrument.MeterRegistry meters;
    /** Per product, what its gauges read: the last measured dead letters and records refused on read. */
    private final Map<String, dev.mesh.sdk.ops.DeadLetterTally> measured = new java.util.concurrent.ConcurrentHashMap<>();

    ProductSummaries(CatalogSnapshots snapshots, TopicProbe probe, MeshOps ops, io.micrometer.core.instrument.MeterRegistry meters,
                     @jakarta.inject.Named(io.micronaut.scheduling.TaskExecutors.BLOCKING) java.util.concurrent.ExecutorService measurer) {
        this.measurer = measurer;
        this.snapshots = snapshots;
        this.probe = probe;
        this.ops = ops;
        this.meters = meters;
    }

    /** Prometheus sees what the catalog measured: a product whose readers refuse its records is an integrity failure. */
    private void gauge(ProductEntry p, dev.mesh.sdk.ops.DeadLetterTally tally) {
        if (measured.put(p.topic(), tally) == null) {
            String topic = p.topic();
            io.micrometer.core.instrument.Gauge.builder("mesh.product.refused.on.read", measured, m -> m.getOrDefault(topic, NONE).refusedOnRead())
                    .tags("product", p.product(), "topic", topic, "owner", CatalogSnapshots.domainOf(p))
                    .description("records of the product its readers refused on read (undecodable or outside its contract)").register(meters);
            io.micrometer.core.instrument.Gauge.builder("mesh.product.dead.letters", measured, m -> m.getOrDefault(topic, NONE).deadLetters())
                    .tags("product", p.product(), "topic", topic, "owner", CatalogSnapshots.domainOf(p))
                    .description("the product's dead letters in all its queues").register(meters);
        }
    }

    public List<ProductSummary> all() {
        CatalogSnapshot catalog = snapshots.current();
        List<ProductEntry> products = byTopic(catalog);
        Map<String, TopicState> states = probe.probe(products.stream().map(ProductEntry::topic).toList());
        Slow measured = slow(catalog, products);
        Instant now = Instant.now();
        return products.stream().map(p -> summary(p, catalog, states.get(p.topic()), now,
                MeshOps.inputLag(p, measured.lags()), measured.deadLetters().getOrDefault(p.topic(), NONE))).toList();
    }

    /**
     * Every product's status as {@code mesh products} shows it, from what the catalog keeps measured (topics probed
     * per request, lags and dead letters at most {@link #OPS_MAX_AGE} old), so the CLI need not measure it again.
     * Unlike the pages, this waits for a measurement when the last one is older: nobody may have asked for minutes.
     */
    public List<dev.mesh.sdk.ops.ProductStatus> statuses() {
        CatalogSnapshot catalog = snapshots.current();
        List<ProductEntry> products = byTopic(catalog);
        Map<String, TopicState> states = probe.probe(products.stream().map(ProductEntry::topic).toList());
        Slow measured = fresh(catalog, products);
        Instant now = Instant.now();
        return products.stream().map(p -> status(p, states.getOrDefault(p.topic(), TopicState.missing(p.topic())), measured, now)).toList();
    }

    /**
     * One product as {@code mesh describe} shows it, from what the catalog keeps measured (its topic probed now, lags
     * and dead letters at most {@link #OPS_MAX_AGE} old).
     */
    public java.util.Map<String, Object> description(ProductEntry p) {
        CatalogSnapshot catalog = snapshots.current();
        List<ProductEntry> products = byTopic(catalog);
        TopicState topic = probe.probe(List.of(p.topic())).getOrDefault(p.topic(), TopicState.missing(p.topic()));
        Instant now = Instant.now();
        dev.mesh.sdk.ops.ProductStatus status = status(p, topic, fresh(catalog, products), now);
        return dev.mesh.sdk.ops.ProductDescription.of(p, ops.mesh().registry().versions(dev.mesh.sdk.contract.Naming.valueSubject(p.topic())),
                status.consumers(), catalog, status, ops.deadLetterQueues(p, catalog), now);
    }

    private static dev.mesh.sdk.ops.ProductStatus status(ProductEntry p, TopicState topic, Slow measured, Instant now) {
        Optional<Instant> newest = Optional.ofNullable(topic.newest());
        Optional<Duration> inputLag = MeshOps.inputLag(p, measured.lags());
        dev.mesh.sdk.ops.DeadLetterTally dead = measured.deadLetters().getOrDefault(p.topic(), NONE);
        return new dev.mesh.sdk.ops.ProductStatus(p, topic.exists(), topic.partitions(), topic.records(), newest,
                topic.exists() && dev.mesh.sdk.ops.ProductStatus.freshnessBreached(p, newest, inputLag, now), inputLag,
                dead.deadLetters(), dead.refusedOnRead(),
                measured.lags().stream().filter(l -> l.topic().equals(p.topic())).toList());
    }

    /**
     * Every product as the SLO evaluator judges it: its topic probed now, lags and dead letters as last measured
     * (never waiting for a measurement: the evaluation runs on a schedule and takes the next one).
     */
    public List<Observation> observe() {
        CatalogSnapshot catalog = snapshots.current();
        List<ProductEntry> products = byTopic(catalog);
        Map<String, TopicState> states = probe.probe(products.stream().map(ProductEntry::topic).toList());
        Slow measured = slow(catalog, products);
        return products.stream().map(p -> new Observation(p, states.getOrDefault(p.topic(), TopicState.missing(p.topic())),
                MeshOps.inputLag(p, measured.lags()), Optional.ofNullable(measured.deadLetters().get(p.topic())),
                measured.lags().stream().filter(l -> l.topic().equals(p.topic())).toList())).toList();
    }

    /**
     * One product observed.
     *
     * @param deadLetters its dead letters in all its queues; empty until they have been measured once
     */
    public record Observation(ProductEntry product, TopicState topic, Optional<Duration> inputLag,
                              Optional<dev.mesh.sdk.ops.DeadLetterTally> deadLetters, List<ConsumerLag> lags) {
    }

    /** Every group's lag as {@code mesh lag} shows it, at most {@link #OPS_MAX_AGE} old. */
    public List<ConsumerLag> lags() {
        CatalogSnapshot catalog = snapshots.current();
        return fresh(catalog, byTopic(catalog)).lags();
    }

    private static List<ProductEntry> byTopic(CatalogSnapshot catalog) {
        return catalog.allProducts().stream().sorted(Comparator.comparing(ProductEntry::topic)).toList();
    }

    /** The measurement, measured again first when it is older than {@link #OPS_MAX_AGE}. */
    private Slow fresh(CatalogSnapshot catalog, List<ProductEntry> products) {
        Slow measured = slow(catalog, products);
        if (System.nanoTime() - slowAt > OPS_MAX_AGE.toNanos()) {
            synchronized (opsMeasurement) {
                // one such request measures; those waiting behind it then find the measurement fresh
                measured = System.nanoTime() - slowAt > OPS_MAX_AGE.toNanos() ? measure(catalog, products) : slow;
            }
        }
        return measured;
    }

    /** The catalog entries refused (a domain wrote what only another may say), as {@code mesh products} lists them. */
    public List<String> refused() {
        return snapshots.current().refused();
    }

    /**
     * Lags and dead letters as last measured. A request never waits on another's measurement: past
     * {@link #SLOW_REFRESH} the one that notices starts a new measurement in the background and answers with the last;
     * only the very first request measures, and any others arriving meanwhile answer without lags.
     */
    private Slow slow(CatalogSnapshot catalog, List<ProductEntry> products) {
        Slow current = slow;
        boolean stale = current == null || System.nanoTime() - slowAt > SLOW_REFRESH.toNanos();
        if (stale && measuring.compareAndSet(false, true)) {
            if (current == null) {
                try {
                    return measure(catalog, products);
                } finally {
                    measuring.set(false);
                }
            }
            try {
                measurer.execute(() -> {
                    try {
                        measure(catalog, products);
                    } finally {
                        measuring.set(false);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                measuring.set(false);
            }
        }
        return current != null ? current : new Slow(List.of(), Map.of());
    }

    private Slow measure(CatalogSnapshot catalog, List<ProductEntry> products) {
        List<ConsumerLag> lags;
        try {
            lags = ops.lag(Optional.empty());
        } catch (RuntimeException e) {
            log.warn("consumer lags unknown: {}", e.getMessage());
            lags = List.of();
        }
        Map<String, dev.mesh.sdk.ops.DeadLetterTally> dead = new HashMap<>();
        for (ProductEntry p : products) {
            try {
                dev.mesh.sdk.ops.DeadLetterTally tally = ops.deadLetterTally(p, catalog);
                dead.put(p.topic(), tally);
                gauge(p, tally);
            } catch (RuntimeException e) {
                log.warn("dead letters of {} unknown: {}", p.topic(), e.getMessage());
            }
        }
        Slow measured = new Slow(lags, dead);
        slow = measured;
        slowAt = System.nanoTime();
        return measured;
    }

    public static ProductSummary summary(ProductEntry p, CatalogSnapshot catalog, TopicState topic, Instant now,
                                         Optional<Duration> inputLag, dev.mesh.sdk.ops.DeadLetterTally deadLetters) {
        return new ProductSummary(p.product(), p.topic(), p.version(), CatalogSnapshots.domainOf(p), p.description(),
                p.ownerTeam(), p.ownerContact(), p.classification(), p.tags() == null ? List.of() : p.tags(),
                p.isDerived() && !p.isBridged(), Freshness.assess(p, topic, now, inputLag), catalog.consumersOf(p.topic()).size(),
                deadLetters.deadLetters(), deadLetters.refusedOnRead(), pageOf(p, catalog), p.successor());
    }

    static String dlqOf(ProductEntry p) {
        return p.dlqTopic();
    }

    /** The product's page: by id for its latest major, by topic for an older one still in the catalog. */
    public static String pageOf(ProductEntry p, CatalogSnapshot catalog) {
        return "/products/" + catalog.nameOf(p);
    }
}
