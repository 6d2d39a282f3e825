package dev.mesh.testkit;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waiting on a condition: tests wait for what they need, never for a fixed time. */
public final class Await {
    private static final long POLL_MILLIS = 50;

    private Await() {
    }

    /** Waits until the condition holds; fails with what was awaited once the timeout passes. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            sleep();
        }
    }

    /** Waits until the supplier yields a value, and returns it. */
    public static <T> T value(Duration timeout, String what, Supplier<Optional<T>> supplier) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = supplier.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
