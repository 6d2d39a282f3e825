package dev.mesh.service;

import dev.mesh.sdk.ProductStreams;
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
    /** How long an app stays DEGRADED after it dead-lettered a record of its own domain. */
    static final Duration INTEGRITY_WINDOW = Duration.ofHours(1);
    static final String DEGRADED = "DEGRADED";

    private final Clock clock;
    private KafkaStreams.State state = KafkaStreams.State.CREATED;
    private int failures;
    private Instant lastFailureAt;
    private String lastError;
    private String failingTask;
    private long restoredRecords;
    private final java.util.function.Supplier<ProductStreams.OwnDeadLetters> own;

    AppHealth(Clock clock) {
        this(clock, () -> new ProductStreams.OwnDeadLetters(0, java.util.Optional.empty(), java.util.Optional.empty()));
    }

    /** @param own what the app dead-lettered of its own domain's records */
    AppHealth(Clock clock, java.util.function.Supplier<ProductStreams.OwnDeadLetters> own) {
        this.clock = clock;
        this.own = own;
    }

    synchronized void state(KafkaStreams.State state) {
        this.state = state;
    }

    synchronized void failed(Throwable error) {
        failures++;
        lastFailureAt = clock.instant();
        lastError = dev.mesh.sdk.ops.DeadLetter.reasonOf(error);
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

    /**
     * Why the app's domain looks corrupt, if it does: the app dead-lettered a record of one of its own domain's products
     * within {@link #INTEGRITY_WINDOW} (a record its own domain wrote that its contract or schema refuses).
     */
    synchronized java.util.Optional<String> integrityProblem() {
        ProductStreams.OwnDeadLetters d = own.get();
        if (d.count() == 0 || d.lastAt().filter(at -> at.isAfter(clock.instant().minus(INTEGRITY_WINDOW))).isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(d.count() + " record(s) of its own domain's products dead-lettered; last "
                + d.lastAt().orElseThrow() + " " + d.last().orElse(""));
    }

    synchronized Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        java.util.Optional<String> integrity = integrityProblem();
        d.put("status", !healthy() ? "DOWN" : integrity.isPresent() ? DEGRADED : "UP");
        integrity.ifPresent(problem -> d.put("integrity", problem));
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
