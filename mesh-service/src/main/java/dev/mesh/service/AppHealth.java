package dev.mesh.service;

import dev.mesh.sdk.internal.streams.StreamsDeadLetters;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What /health says about one Streams app: its state, and whether its threads have been failing lately. An app
 * whose thread was replaced within {@link #RECOVERY} is not healthy, even while its state says RUNNING: a record
 * or a fault that kills a thread again and again would otherwise look like a working app with growing lag.
 */
final class AppHealth {
    static final Duration RECOVERY = Duration.ofSeconds(60);

    private final Clock clock;
    private KafkaStreams.State state = KafkaStreams.State.CREATED;
    private int failures;
    private Instant lastFailureAt;
    private String lastError;
    private String failingTask;
    private long restoredRecords;

    AppHealth(Clock clock) {
        this.clock = clock;
    }

    synchronized void state(KafkaStreams.State state) {
        this.state = state;
    }

    synchronized void failed(Throwable error) {
        failures++;
        lastFailureAt = clock.instant();
        lastError = StreamsDeadLetters.reason(error);
        failingTask = error instanceof StreamsException s ? s.taskId().map(Object::toString).orElse(null) : null;
    }

    /** Records restored into the app's stores from changelogs since it started: none after a clean stop. */
    synchronized void restored(long records) {
        restoredRecords += records;
    }

    synchronized boolean healthy() {
        boolean working = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
        return working && !recentlyFailed();
    }

    private boolean recentlyFailed() {
        return lastFailureAt != null && lastFailureAt.isAfter(clock.instant().minus(RECOVERY));
    }

    synchronized Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("status", healthy() ? "UP" : "DOWN");
        d.put("state", state.name());
        d.put("restoredRecords", restoredRecords);
        if (lastFailureAt != null) {
            d.put("threadFailures", failures);
            d.put("lastFailureAt", lastFailureAt.toString());
            d.put("lastError", lastError);
            if (failingTask != null) {
                d.put("failingTask", failingTask);
            }
        }
        return d;
    }
}
