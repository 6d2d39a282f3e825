package dev.mesh.service;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class AppHealthTest {
    /** A clock the test moves. */
    private static final class Manual extends Clock {
        private Instant now = Instant.parse("2026-12-01T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void anAppIsHealthyOnlyWhileRunningOrRebalancing() {
        AppHealth h = new AppHealth(new Manual());
        assertThat(h.healthy()).as("created, not started").isFalse();
        h.state(KafkaStreams.State.REBALANCING);
        assertThat(h.healthy()).isTrue();
        h.state(KafkaStreams.State.RUNNING);
        assertThat(h.healthy()).isTrue();
        h.state(KafkaStreams.State.ERROR);
        assertThat(h.healthy()).isFalse();
        assertThat(h.details()).containsEntry("status", "DOWN").containsEntry("state", "ERROR");
    }

    @Test
    void aFailedThreadMakesARunningAppDownUntilItHasRunAMinuteWithoutFailing() {
        Manual clock = new Manual();
        AppHealth h = new AppHealth(clock);
        h.state(KafkaStreams.State.RUNNING);
        h.failed(new StreamsException(new IllegalArgumentException("Invalid timestamp: -62135596800000\n\tat x"),
                new TaskId(0, 4)));

        assertThat(h.healthy()).isFalse();
        assertThat(h.details()).containsEntry("status", "DOWN").containsEntry("failingTask", "0_4")
                .containsEntry("lastError", "IllegalArgumentException: Invalid timestamp: -62135596800000")
                .containsEntry("threadFailures", 1);

        clock.now = clock.now.plus(AppHealth.RECOVERY.minus(Duration.ofSeconds(1)));
        assertThat(h.healthy()).as("still within the recovery window").isFalse();
        clock.now = clock.now.plus(Duration.ofSeconds(2));
        assertThat(h.healthy()).as("a minute without failing").isTrue();
        assertThat(h.details()).containsEntry("status", "UP").containsEntry("threadFailures", 1);
    }
}
