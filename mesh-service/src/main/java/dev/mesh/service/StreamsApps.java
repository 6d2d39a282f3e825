package dev.mesh.service;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import dev.mesh.sdk.ProductStreams;
import io.micronaut.context.annotation.Value;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service's Kafka Streams apps: started once the HTTP server is up, closed cleanly on shutdown, their state
 * reported by /health and their stores queryable over HTTP (a derived product's second output port).
 */
@Requires(env = DomainService.ENV)
@Singleton
public final class StreamsApps implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger log = LoggerFactory.getLogger(StreamsApps.class);
    private final Map<String, ProductStreams> prepared = new LinkedHashMap<>();
    private final Map<String, KafkaStreams> apps = new LinkedHashMap<>();
    private final Map<String, AppHealth> health = new LinkedHashMap<>();
    private final java.util.List<Thread> starting = new java.util.ArrayList<>();
    private final java.util.Optional<String> advertised;
    private HostInfo self;

    /** @param advertised {@code mesh.advertised-url}: how other instances reach this one, when not its own address */
    private final io.micrometer.core.instrument.MeterRegistry meters;

    /** Basic auth as the service's own principal (its registry credentials), for lookups it forwards to its peers. */
    private final java.util.Optional<String> peerAuthorization;

    StreamsApps(@Value("${mesh.advertised-url:}") String advertised, io.micrometer.core.instrument.MeterRegistry meters,
                @Value("${basic.auth.user.info:}") String userInfo) {
        this.advertised = java.util.Optional.of(advertised).filter(a -> !a.isBlank());
        this.meters = meters;
        this.peerAuthorization = java.util.Optional.of(userInfo).filter(u -> !u.isBlank()).map(u -> "Basic "
                + java.util.Base64.getEncoder().encodeToString(u.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    java.util.Optional<String> peerAuthorization() {
        return peerAuthorization;
    }

    /**
     * Whether the app keeps a store of this name (a derived product without one has no key lookup): known once the app
     * runs, from the stores its instances host; true until then.
     */
    public synchronized boolean hasStore(String name, String store) {
        KafkaStreams app = apps.get(name);
        if (app == null || app.state() != KafkaStreams.State.RUNNING) {
            return true;
        }
        return app.metadataForAllStreamsClients().stream().anyMatch(m -> m.stateStoreNames().contains(store));
    }

    /**
     * Adds an app, built when the HTTP server is up: every instance advertises its address as the app's
     * {@code application.server}, so a key lookup on any instance can find the one that holds the key.
     */
    public synchronized void register(String name, ProductStreams streams) {
        prepared.put(name, streams);
        health.put(name, new AppHealth(java.time.Clock.systemUTC(), streams::ownDeadLetters));
        io.micrometer.core.instrument.Gauge.builder("mesh.streams.own.dead.letters", streams, s -> s.ownDeadLetters().count())
                .tag("app", name).description("records of the app's own domain's products it dead-lettered (an integrity failure)")
                .register(meters);
        if (self != null) {
            start(name, build(name, streams));
        }
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        URI url = advertised.map(URI::create).orElse(event.getSource().getURI());
        self = new HostInfo(url.getHost(), url.getPort());
        prepared.forEach((name, streams) -> start(name, build(name, streams)));
    }

    /** This instance as its apps advertise it ({@code application.server}); null before the server is up. */
    public synchronized HostInfo self() {
        return self;
    }

    private KafkaStreams build(String name, ProductStreams streams) {
        AppHealth h = health.get(name);
        KafkaStreams app = streams.property(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port())
                .onStateChange((now, before) -> h.state(now)).build();
        app.setGlobalStateRestoreListener(new RestoreCounter(h));
        app.setUncaughtExceptionHandler(e -> {
            // A record cannot get here (it is dead-lettered); a fault can, and /health reports it until it stops.
            log.error("streams app {} failed; replacing its thread", name, e);
            h.failed(e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        apps.put(name, app);
        return app;
    }

    /**
     * Starts the app on a thread of its own: {@code start()} opens the stores of every task it finds on disk
     * before it returns, so apps started one after another would restart one store after another.
     */
    private void start(String name, KafkaStreams app) {
        log.info("starting streams app {} (application.server {}:{})", name, self.host(), self.port());
        Thread starter = new Thread(app::start, "start-" + name);
        starting.add(starter);
        starter.start();
    }

    public synchronized Map<String, KafkaStreams.State> states() {
        Map<String, KafkaStreams.State> states = new LinkedHashMap<>();
        prepared.keySet().forEach(name -> states.put(name, apps.containsKey(name) ? apps.get(name).state() : KafkaStreams.State.CREATED));
        return states;
    }

    /** Why the service's own products look corrupt, per app, if any do (see {@link AppHealth#integrityProblem()}). */
    public synchronized Map<String, String> integrityProblems() {
        Map<String, String> out = new LinkedHashMap<>();
        health.forEach((name, h) -> h.integrityProblem().ifPresent(p -> out.put(name, p)));
        return out;
    }

    /** Whether every app is running and none has failed lately. */
    public synchronized boolean healthy() {
        return health.values().stream().allMatch(AppHealth::healthy);
    }

    /** Per app: status, state, records dead-lettered so far, and the last failure with its task, if any. */
    public synchronized Map<String, Map<String, Object>> health() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        health.forEach((name, h) -> {
            Map<String, Object> details = h.details();
            details.put("deadLettered", apps.containsKey(name) ? deadLettered(apps.get(name)) : 0L);
            out.put(name, details);
        });
        return out;
    }

    /** Records the app skipped into its DLQ: Kafka Streams counts them as dropped records, per task. */
    private static long deadLettered(KafkaStreams app) {
        return Math.round(app.metrics().values().stream()
                .filter(m -> m.metricName().name().equals("dropped-records-total"))
                .mapToDouble(m -> m.metricValue() instanceof Number n ? n.doubleValue() : 0.0).sum());
    }

    /** The app, once the server is up; empty before. */
    public synchronized java.util.Optional<KafkaStreams> app(String name) {
        if (!prepared.containsKey(name)) {
            throw new IllegalArgumentException("no streams app " + name + "; apps are " + prepared.keySet());
        }
        return java.util.Optional.ofNullable(apps.get(name));
    }

    /**
     * How many instances of this service run now, as the groups of its Streams apps see them (the largest, as an app
     * may still be joining); 1 before any app runs. Generators divide their rate by it.
     */
    public synchronized int instances() {
        return apps.values().stream()
                .filter(app -> app.state().isRunningOrRebalancing())
                .mapToInt(app -> {
                    try {
                        return app.metadataForAllStreamsClients().size();
                    } catch (RuntimeException e) {
                        return 1;
                    }
                })
                .max().orElse(1);
    }

    /** A read-only view of a store, or empty while the app is not (yet) running and cannot serve it. */
    public <T> java.util.Optional<T> store(String appName, StoreQueryParameters<T> query) {
        try {
            return app(appName).map(app -> app.store(query));
        } catch (InvalidStateStoreException e) {
            return java.util.Optional.empty();
        }
    }

    @PreDestroy
    public synchronized void close() {
        for (Thread starter : starting) {
            try {
                starter.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // side by side: each close commits, writes its checkpoints and leaves its group, mostly waiting on the broker
        List<Thread> closing = new java.util.ArrayList<>();
        apps.forEach((name, app) -> {
            Thread closer = new Thread(() -> {
                log.info("closing streams app {}", name);
                // Leaving the group lets a restarted instance take the partitions over at once, not after the session timeout.
                app.close(org.apache.kafka.streams.CloseOptions.timeout(CLOSE_TIMEOUT)
                        .withGroupMembershipOperation(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            }, "close-" + name);
            closing.add(closer);
            closer.start();
        });
        for (Thread closer : closing) {
            try {
                closer.join(CLOSE_TIMEOUT.plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /** Counts what the app restores from changelogs into its stores (for /health). */
    private record RestoreCounter(AppHealth health) implements org.apache.kafka.streams.processor.StateRestoreListener {
        @Override
        public void onRestoreStart(org.apache.kafka.common.TopicPartition partition, String store, long start, long end) {
        }

        @Override
        public void onBatchRestored(org.apache.kafka.common.TopicPartition partition, String store, long batchEnd, long restored) {
            health.restored(restored);
        }

        @Override
        public void onRestoreEnd(org.apache.kafka.common.TopicPartition partition, String store, long total) {
        }
    }
}
