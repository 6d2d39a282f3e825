package dev.mesh.sdk.internal.openlineage;

import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.QualityRule;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.transports.TransportFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An application's OpenLineage events, sent with OpenLineage's own client and transports: a run per publisher and
 * per Streams app (job type STREAMING), START when it opens, RUNNING every {@code openlineage.trackingIntervalInSeconds}
 * (60) with what it has done since, COMPLETE when it closes, FAIL when it fails. Off unless
 * {@code openlineage.transport.type} names a transport. Events go out on a thread of the emitter's own: a slow or
 * absent endpoint never holds up a record, and a failed send is logged, not thrown.
 */
public final class LineageEmitter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LineageEmitter.class);
    /** What OpenLineage records as the events' producer. */
    static final URI PRODUCER = URI.create("https://github.com/mesh-data/mesh/tree/main/mesh-sdk");
    private static final LineageEmitter OFF = new LineageEmitter(null, null, null, null);

    private final OpenLineageClient client;
    private final OpenLineage ol = new OpenLineage(PRODUCER);
    private final ProductDatasets datasets;
    private final String namespace;
    private final Duration interval;
    private final ScheduledExecutorService sender;

    private LineageEmitter(OpenLineageClient client, Object bootstrapServers, String namespace, Duration interval) {
        this.client = client;
        this.datasets = client == null ? null : new ProductDatasets(ol, bootstrapServers);
        this.namespace = namespace;
        this.interval = interval;
        this.sender = client == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "openlineage");
            t.setDaemon(true);
            return t;
        });
    }

    /** The emitter the application's settings ask for; one that sends nothing when they name no transport. */
    public static LineageEmitter of(Map<String, ?> config, Object bootstrapServers) {
        return LineageSettings.transport(config)
                // its own meter registry: the client's circuit-breaker gauge would otherwise clash between two clients
                .map(t -> new LineageEmitter(new OpenLineageClient(new TransportFactory(t).build(), null,
                        new io.micrometer.core.instrument.simple.SimpleMeterRegistry()), bootstrapServers,
                        LineageSettings.namespace(config), LineageSettings.interval(config)))
                .orElse(OFF);
    }

    public boolean enabled() {
        return client != null;
    }

    /**
     * A publisher's run: job {@code <app>.<topic>}, the product as its output with the contract's rules as assertions.
     *
     * @param failures records that broke each rule since the publisher opened
     */
    public LineageRun publisher(String app, ProductContract product, int schemaId, Supplier<Map<String, Long>> failures) {
        if (!enabled()) {
            return LineageRun.NONE;
        }
        Assertions assertions = new Assertions(ol, product.quality(), failures);
        return new LineageRun(this, app + "." + product.topicName(), "PUBLISHER", product.owner().team(),
                List::of, () -> List.of(datasets.output(product, schemaId, assertions.sinceLast())));
    }

    /** A Streams app's run: job the application id, its inputs and the product it derives. */
    public LineageRun streamsApp(String applicationId, List<ProductContract> inputs, ProductContract output, int schemaId) {
        if (!enabled()) {
            return LineageRun.NONE;
        }
        return new LineageRun(this, applicationId, "STREAMS_APP", output.owner().team(),
                () -> inputs.stream().map(datasets::input).toList(),
                () -> List.of(datasets.output(output, schemaId, List.of())));
    }

    OpenLineage ol() {
        return ol;
    }

    String namespace() {
        return namespace;
    }

    Duration interval() {
        return interval;
    }

    ScheduledExecutorService sender() {
        return sender;
    }

    void emit(OpenLineage.RunEvent event) {
        try {
            client.emit(event);
        } catch (RuntimeException e) {
            // the next RUNNING event carries the same datasets, so a missed one costs little (and at mesh up every
            // START goes out before the catalog listens)
            log.debug("OpenLineage {} event of {} not sent: {}", event.getEventType(), event.getJob().getName(), e.toString());
        }
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.shutdown();
            try {
                sender.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                client.close();
            } catch (Exception e) {
                log.debug("closing the OpenLineage client: {}", e.toString());
            }
        }
    }

    /** Each rule of the contract held by every record since the last event, or broken by {@code actual} of them. */
    private static final class Assertions {
        private final OpenLineage ol;
        private final List<QualityRule> rules;
        private final Supplier<Map<String, Long>> failures;
        private Map<String, Long> last = Map.of();

        Assertions(OpenLineage ol, List<QualityRule> rules, Supplier<Map<String, Long>> failures) {
            this.ol = ol;
            this.rules = rules;
            this.failures = failures;
        }

        synchronized List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> sinceLast() {
            Map<String, Long> now = failures.get();
            List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> out = rules.stream().map(r -> {
                long broken = now.getOrDefault(r.name(), 0L) - last.getOrDefault(r.name(), 0L);
                return ol.newDataQualityAssertionsDatasetFacetAssertionsBuilder().assertion(r.name()).success(broken == 0)
                        .description(r.doc()).content(r.expr()).contentType("cel")
                        .severity(r.onFailure().name()).expected("0").actual(Long.toString(broken)).build();
            }).toList();
            last = Map.copyOf(now);
            return out;
        }
    }
}
