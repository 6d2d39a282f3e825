package dev.mesh.service;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class GeneratorShareTest {
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger instances = new AtomicInteger(1);
    private final Generator.Share share = new Generator.Share("test", 10, instances::get, nanos::get);

    @Test
    void oneInstanceRunsEveryTick() {
        assertThat(steps(100)).isEqualTo(100);
    }

    @Test
    void instancesDivideTheTicksAndASurvivorTakesThemAllAgain() {
        instances.set(3);
        assertThat(steps(300)).as("a third of the ticks with three instances").isBetween(99, 101);
        instances.set(1);
        assertThat(steps(10)).as("the count is asked at most once a second").isLessThan(10);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(2));
        assertThat(steps(100)).as("every tick once the others are gone").isBetween(99, 100);
    }

    @Test
    void noInstanceCountBelowOne() {
        instances.set(0);
        assertThat(steps(50)).isEqualTo(50);
    }

    private int steps(int ticks) {
        int steps = 0;
        for (int i = 0; i < ticks; i++) {
            steps += share.take() ? 1 : 0;
        }
        return steps;
    }
}
