package dev.mesh.service;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service's Kafka Streams apps: started once the HTTP server is up, closed cleanly on shutdown, their state
 * reported by /health and their stores queryable over HTTP (a derived product's second output port).
 */
@Requires(env = DomainService.ENV)
@Singleton
public final class StreamsApps implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger log = LoggerFactory.getLogger(StreamsApps.class);
    private final Map<String, KafkaStreams> apps = new LinkedHashMap<>();
    private boolean started;

    /** Adds an app; it starts with the server, or now if the server is already up. */
    public synchronized void register(String name, KafkaStreams app) {
        apps.put(name, app);
        app.setUncaughtExceptionHandler(e -> {
            log.error("streams app {} failed; replacing its thread", name, e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        if (started) {
            app.start();
        }
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        started = true;
        apps.forEach((name, app) -> {
            log.info("starting streams app {}", name);
            app.start();
        });
    }

    public synchronized Map<String, KafkaStreams.State> states() {
        Map<String, KafkaStreams.State> states = new LinkedHashMap<>();
        apps.forEach((name, app) -> states.put(name, app.state()));
        return states;
    }

    public synchronized KafkaStreams app(String name) {
        KafkaStreams app = apps.get(name);
        if (app == null) {
            throw new IllegalArgumentException("no streams app " + name + "; apps are " + apps.keySet());
        }
        return app;
    }

    /** A read-only view of a store, or empty while the app is not (yet) running and cannot serve it. */
    public <T> java.util.Optional<T> store(String appName, String storeName, QueryableStoreType<T> type) {
        try {
            return java.util.Optional.of(app(appName).store(StoreQueryParameters.fromNameAndType(storeName, type)));
        } catch (InvalidStateStoreException e) {
            return java.util.Optional.empty();
        }
    }

    @PreDestroy
    public synchronized void close() {
        apps.forEach((name, app) -> {
            log.info("closing streams app {}", name);
            // Leaving the group lets a restarted instance take the partitions over at once, not after the session timeout.
            app.close(org.apache.kafka.streams.CloseOptions.timeout(Duration.ofSeconds(30))
                    .withGroupMembershipOperation(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        });
    }
}
