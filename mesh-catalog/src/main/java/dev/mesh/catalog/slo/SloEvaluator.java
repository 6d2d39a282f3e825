package dev.mesh.catalog.slo;

import dev.mesh.catalog.CatalogApplication;
import dev.mesh.catalog.CatalogSnapshots;
import dev.mesh.catalog.ProductSummaries;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.kafka.JsonTopic;
import dev.mesh.sdk.kafka.ReliableProducer;
import dev.mesh.sdk.kafka.Topics;
import dev.mesh.sdk.ops.ConsumerLag;
import dev.mesh.sdk.ops.MeshOps;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Evaluates every product's SLOs every {@code catalog.slo.period} (default 30 s), and counts from the same
 * observation what each group read ({@link dev.mesh.catalog.usage.UsageMeter}), and keeps the results: each reading
 * on {@code _mesh.slo}, each change of state on {@code _mesh.alerts}, both in one transaction, so a crash between
 * them can neither alert twice nor lose an alert; the owner's webhook is called once the transaction commits.
 * States survive a restart: the first evaluation starts from the last readings on {@code _mesh.slo}. An objective
 * never evaluated counts as OK, so its first evaluation alerts only if it is not.
 *
 * <p>The measurements are Prometheus series too: {@code mesh_product_last_event_timestamp_seconds},
 * {@code mesh_product_records_total}, {@code mesh_consumer_time_lag_seconds}, {@code mesh_slo_value} and
 * {@code mesh_slo_state} (0 OK, 1 WARN, 2 BREACHED), labelled with product, topic and owner.
 */
@Requires(env = CatalogApplication.ENV)
@Context
public final class SloEvaluator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SloEvaluator.class);
    static final String PERIOD = "catalog.slo.period";
    private static final long SLO_RETENTION_MS = Duration.ofDays(1).toMillis();
    private static final long ALERT_RETENTION_MS = Duration.ofDays(30).toMillis();

    private final ProductSummaries summaries;
    private final SloHistory history;
    private final AlertHooks hooks;
    private final dev.mesh.catalog.usage.UsageMeter usage;
    private final DerivedLatency derivedLatency;
    private final MeshOps ops;
    private final MeterRegistry meters;
    private final Duration period;
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slo-evaluator");
        t.setDaemon(true);
        return t;
    });
    /** The last committed reading of every objective; null until the first evaluation has read them back. */
    private Map<String, SloReading> states;
    private final Map<String, ArrayDeque<SloJudge.Sample>> samples = new HashMap<>();
    private final Map<String, Double> gauges = new ConcurrentHashMap<>();
    private KafkaProducer<String, String> producer;

    SloEvaluator(ProductSummaries summaries, SloHistory history, AlertHooks hooks, dev.mesh.catalog.usage.UsageMeter usage,
                 DerivedLatency derivedLatency, MeshOps ops, MeterRegistry meters,
                 @Property(name = PERIOD, defaultValue = "30s") Duration period) {
        this.usage = usage;
        this.derivedLatency = derivedLatency;
        if (period.isNegative() || period.isZero()) {
            throw new ConfigurationException(PERIOD + " is " + period + "; give a positive duration such as 30s");
        }
        this.summaries = summaries;
        this.history = history;
        this.hooks = hooks;
        this.ops = ops;
        this.meters = meters;
        this.period = period;
        schedule.scheduleWithFixedDelay(this::evaluateSafely, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void evaluateSafely() {
        try {
            evaluate();
        } catch (RuntimeException e) {
            log.warn("SLO evaluation failed, next in {}: {}", period, e.toString());
        }
    }

    /** One evaluation of every product; the readings count once written, so a failed one is evaluated again whole. */
    void evaluate() {
        if (states == null) {
            ensureTopics();
            Map<String, SloReading> last = new HashMap<>();
            history.readings().forEach((key, readings) -> last.put(key, readings.get(readings.size() - 1)));
            states = last;
        }
        Instant now = Instant.now();
        List<SloReading> readings = new ArrayList<>();
        List<SloAlert> alerts = new ArrayList<>();
        List<ProductSummaries.Observation> observations = summaries.observe();
        for (ProductSummaries.Observation o : observations) {
            ProductEntry p = o.product();
            String owner = CatalogSnapshots.domainOf(p);
            List<SloJudge.Judgement> judged;
            try {
                ArrayDeque<SloJudge.Sample> kept = sample(o, now);
                measure(o, owner);
                Optional<Duration> latency = p.objectives() != null && p.objectives().latency() != null
                        ? derivedLatency.of(p.topic()) : Optional.empty();
                judged = SloJudge.judge(p, o.topic(), o.inputLag(), o.lags(), List.copyOf(kept), now, latency);
            } catch (RuntimeException e) {
                // one product's entry must not stop every product's evaluation (the catalog refuses unreadable SLOs)
                log.warn("SLOs of {} not evaluated: {}", p.topic(), e.toString());
                continue;
            }
            for (SloJudge.Judgement j : judged) {
                SloReading before = states.get(SloReading.key(p.topic(), j.slo()));
                SloState from = before == null ? SloState.OK : before.state();
                Instant since = before != null && before.state() == j.state() ? before.since() : now;
                SloReading reading = new SloReading(p.product(), p.topic(), owner, j.slo(), j.state(), since, j.value(),
                        j.objective(), j.unit(), j.detail(), now);
                readings.add(reading);
                if (from != j.state()) {
                    alerts.add(SloAlert.of(reading, from, p.ownerContact()));
                }
            }
        }
        write(readings, alerts);
        readings.forEach(r -> {
            states.put(r.key(), r);
            gauge(r);
        });
        alerts.forEach(hooks::notify);
        usage.record(observations, now);
    }

    private ArrayDeque<SloJudge.Sample> sample(ProductSummaries.Observation o, Instant now) {
        ArrayDeque<SloJudge.Sample> kept = samples.computeIfAbsent(o.product().topic(), t -> new ArrayDeque<>());
        kept.addLast(new SloJudge.Sample(now, o.topic().end(), o.deadLetters().map(d -> d.refusedOnPublish()).orElse(null)));
        Duration window = o.product().objectives() == null ? Duration.ZERO : Duration.parse(o.product().objectives().window());
        // one sample at least a window old is all the judge needs from before the window
        while (kept.size() > 2 && !kept.stream().skip(1).findFirst().orElseThrow().at().isAfter(now.minus(window))) {
            kept.removeFirst();
        }
        return kept;
    }

    private void write(List<SloReading> readings, List<SloAlert> alerts) {
        KafkaProducer<String, String> p = producer();
        try {
            p.beginTransaction();
            for (SloReading r : readings) {
                p.send(new ProducerRecord<>(Naming.SLO_TOPIC, r.key(), JsonTopic.JSON.writeValueAsString(r)));
            }
            for (SloAlert a : alerts) {
                p.send(new ProducerRecord<>(Naming.ALERTS_TOPIC, a.topic(), JsonTopic.JSON.writeValueAsString(a)));
            }
            p.commitTransaction();
        } catch (Exception e) {
            // a producer that failed its transaction is not trusted with the next: the next evaluation starts afresh
            closeProducer();
            throw new IllegalStateException("cannot write SLO readings: " + e, e);
        }
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            Map<String, Object> settings = ReliableProducer.settings(ops.mesh().kafkaProperties());
            settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, Naming.SLO_WRITER);
            settings.put(ProducerConfig.CLIENT_ID_CONFIG, Naming.SLO_WRITER);
            KafkaProducer<String, String> p = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
            try {
                p.initTransactions();
            } catch (RuntimeException e) {
                p.close(Duration.ZERO);
                throw e;
            }
            producer = p;
        }
        return producer;
    }

    private void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private void ensureTopics() {
        short replicas = ops.mesh().replicationFactor();
        Topics.ensure(ops.mesh().admin(), Naming.SLO_TOPIC, 1, replicas,
                Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(SLO_RETENTION_MS)));
        Topics.ensure(ops.mesh().admin(), Naming.ALERTS_TOPIC, 1, replicas,
                Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(ALERT_RETENTION_MS)));
    }

    /** The product's raw measurements for Prometheus, whose rules ({@code mesh slo rules}) judge them too. */
    private void measure(ProductSummaries.Observation o, String owner) {
        ProductEntry p = o.product();
        String topic = p.topic();
        if (o.topic().newest() != null) {
            register("last-event/" + topic, o.topic().newest().toEpochMilli() / 1000.0, key ->
                    Gauge.builder("mesh.product.last.event.timestamp.seconds", gauges, g -> g.getOrDefault(key, Double.NaN))
                            .tags("product", p.product(), "topic", topic, "owner", owner)
                            .description("the timestamp of the product's newest record").register(meters));
        }
        register("records/" + topic, (double) o.topic().end(), key ->
                FunctionCounter.builder("mesh.product.records", gauges, g -> g.getOrDefault(key, 0.0))
                        .tags("product", p.product(), "topic", topic, "owner", owner)
                        .description("records written to the product's topic (its end offsets; exactly-once writers' commit markers count too)")
                        .register(meters));
        for (ConsumerLag lag : o.lags()) {
            double seconds = lag.timeLag().map(d -> d.toMillis() / 1000.0).orElse(0.0);
            register("lag/" + topic + "/" + lag.group(), seconds, key ->
                    Gauge.builder("mesh.consumer.time.lag.seconds", gauges, g -> g.getOrDefault(key, Double.NaN))
                            .tags("product", p.product(), "topic", topic, "owner", owner, "group", lag.group())
                            .description("the age of the oldest record of the product the group has not read").register(meters));
        }
    }

    private void gauge(SloReading r) {
        register("value/" + r.key(), r.value() == null ? Double.NaN : r.value(), key ->
                Gauge.builder("mesh.slo.value", gauges, g -> g.getOrDefault(key, Double.NaN))
                        .tags("product", r.product(), "topic", r.topic(), "owner", r.owner(), "slo", r.slo(), "unit", r.unit())
                        .description("the objective's measured value").register(meters));
        register("objective/" + r.key(), r.objective(), key ->
                Gauge.builder("mesh.slo.objective", gauges, g -> g.getOrDefault(key, Double.NaN))
                        .tags("product", r.product(), "topic", r.topic(), "owner", r.owner(), "slo", r.slo(), "unit", r.unit())
                        .description("the objective's bound").register(meters));
        register("state/" + r.key(), (double) r.state().ordinal(), key ->
                Gauge.builder("mesh.slo.state", gauges, g -> g.getOrDefault(key, Double.NaN))
                        .tags("product", r.product(), "topic", r.topic(), "owner", r.owner(), "slo", r.slo())
                        .description("0 OK, 1 WARN, 2 BREACHED").register(meters));
    }

    private void register(String key, double value, java.util.function.Consumer<String> meter) {
        if (gauges.put(key, value) == null) {
            meter.accept(key);
        }
    }

    @Override
    @PreDestroy
    public void close() {
        schedule.shutdownNow();
        try {
            schedule.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeProducer();
    }
}
