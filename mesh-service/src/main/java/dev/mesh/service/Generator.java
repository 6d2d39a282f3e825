package dev.mesh.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a step of synthetic traffic {@code rate} times per second on one thread, until closed, divided among the
 * instances of the service: with n instances each runs every n-th tick. A failing step is logged and the generator
 * goes on: demo traffic must not die of one bad record.
 */
public final class Generator implements AutoCloseable {
    /**
     * The header on every record a demo generator publishes, naming the generator: generators act only on records
     * so marked (a payment provider pays generated orders, not one a user posted by hand or a record written around
     * the SDK).
     */
    public static final String GENERATED_BY = "mesh.generated-by";
    private static final Logger log = LoggerFactory.getLogger(Generator.class);
    private final ScheduledExecutorService scheduler;

    private Generator(String name, ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** The headers of a record generator {@code name} publishes. */
    public static java.util.Map<String, String> by(String name) {
        return java.util.Map.of(GENERATED_BY, name);
    }

    /** Whether a generator published the record. */
    public static boolean generated(dev.mesh.sdk.ProductRecord<?> record) {
        return record.header(GENERATED_BY).isPresent();
    }

    /** A generator alone, as if its service had one instance. */
    public static Generator start(String name, double rate, Runnable step) {
        return start(name, rate, () -> 1, step);
    }

    /** @param instances how many instances of the service share the rate now (asked at most once a second) */
    public static Generator start(String name, double rate, java.util.function.IntSupplier instances, Runnable step) {
        if (rate <= 0) {
            throw new IllegalArgumentException("generator.rate must be positive, was " + rate);
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "generator-" + name);
            t.setDaemon(true);
            return t;
        });
        long periodMicros = Math.max(1, (long) (1_000_000 / rate));
        Share share = new Share(name, rate, instances, System::nanoTime);
        scheduler.scheduleAtFixedRate(() -> {
            try {
                if (share.take()) {
                    step.run();
                }
            } catch (RuntimeException e) {
                log.warn("generator {} step failed: {}", name, e.toString());
            }
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        log.info("generator {} running at {} per second", name, rate);
        return new Generator(name, scheduler);
    }

    /** This instance's part of the ticks: a credit of 1/n per tick, a step per whole credit. Used on one thread. */
    static final class Share {
        private final String name;
        private final double rate;
        private final java.util.function.IntSupplier instances;
        private final java.util.function.LongSupplier nanoTime;
        private int count = 1;
        private long askedAt = Long.MIN_VALUE;
        private double credit = 1;

        Share(String name, double rate, java.util.function.IntSupplier instances, java.util.function.LongSupplier nanoTime) {
            this.name = name;
            this.rate = rate;
            this.instances = instances;
            this.nanoTime = nanoTime;
        }

        boolean take() {
            long now = nanoTime.getAsLong();
            if (askedAt == Long.MIN_VALUE || now - askedAt > TimeUnit.SECONDS.toNanos(1)) {
                askedAt = now;
                int n = Math.max(1, instances.getAsInt());
                if (n != count) {
                    log.info("generator {}: {} instances share {} per second, this one runs {}", name, n, rate, rate / n);
                    count = n;
                }
            }
            credit += 1.0 / count;
            if (credit < 1) {
                return false;
            }
            credit -= 1;
            return true;
        }
    }

    /** Runs a task once after a delay on the generator's thread (e.g. a payment a few seconds after its order). */
    public void later(long delayMillis, Runnable task) {
        scheduler.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("delayed generator task failed: {}", e.toString());
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
