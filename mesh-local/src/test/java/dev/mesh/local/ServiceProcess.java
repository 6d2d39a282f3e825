package dev.mesh.local;

import dev.mesh.testkit.Await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A domain service in a JVM of its own, on this test's classpath, so that a test can kill it as a crash does
 * (SIGKILL: no shutdown hook, no clean close of its Streams apps, no leaving the group).
 */
final class ServiceProcess implements AutoCloseable {
    private static final Pattern RUNNING = Pattern.compile("Server Running: (http://\\S+)");
    private final Process process;
    private final String url;

    private ServiceProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts {@code main} with these settings as system properties; returns once its HTTP server is up. */
    static ServiceProcess start(Class<?> main, Map<String, Object> settings, Path log) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add(main.getName());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + main.getSimpleName(), e);
        }
        try {
            String url = Await.value(Duration.ofSeconds(120), main.getSimpleName() + "'s HTTP server (log " + log + ")", () -> {
                if (!process.isAlive()) {
                    throw new AssertionError(main.getSimpleName() + " exited with " + process.exitValue() + "; see " + log);
                }
                return running(log);
            });
            return new ServiceProcess(process, url);
        } catch (RuntimeException | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static Optional<String> running(Path log) {
        try {
            Matcher m = RUNNING.matcher(Files.readString(log));
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    String url() {
        return url;
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the process survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
