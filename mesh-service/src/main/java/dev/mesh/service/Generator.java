package dev.mesh.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a step of synthetic traffic {@code rate} times per second on one thread, until closed. A failing step is
 * logged and the generator goes on: demo traffic must not die of one bad record.
 */
public final class Generator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Generator.class);
    private final ScheduledExecutorService scheduler;

    private Generator(String name, ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    public static Generator start(String name, double rate, Runnable step) {
        if (rate <= 0) {
            throw new IllegalArgumentException("generator.rate must be positive, was " + rate);
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "generator-" + name);
            t.setDaemon(true);
            return t;
        });
        long periodMicros = Math.max(1, (long) (1_000_000 / rate));
        scheduler.scheduleAtFixedRate(() -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                log.warn("generator {} step failed: {}", name, e.toString());
            }
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        log.info("generator {} running at {} per second", name, rate);
        return new Generator(name, scheduler);
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
