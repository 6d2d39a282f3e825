package dev.mesh.cli;

import dev.mesh.testkit.Await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** One {@code mesh up} process on free ports, its output collected. */
record UpProcess(Process process, List<String> lines, Thread reader) {
    private static final Pattern LOG_LINE = Pattern.compile("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} ");

    /** {@code mesh up} on free ports with its data in {@code data}, and {@code more} options. */
    static UpProcess start(Path data, String... more) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=" + Path.of("..", "config", "logback.xml").toAbsolutePath(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", classpath,
                MeshCli.class.getName(), "up", "--data-dir", data.toString(), "--free-ports", "--rate", "5"));
        command.addAll(List.of(more));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "mesh-up-output");
        reader.start();
        return new UpProcess(p, lines, reader);
    }

    void awaitFirstDerivedRecord() {
        Await.until(Duration.ofSeconds(120), "mesh up and its first derived record",
                () -> output().contains("First derived record") || !process.isAlive());
        assertThat(output()).as("mesh up printed").contains("First derived record");
    }

    /** {@link Await#value}, failing with what mesh up itself printed (its status, not the services' logs). */
    <T> T awaitValue(Duration timeout, String what, java.util.function.Supplier<java.util.Optional<T>> supplier) {
        try {
            return Await.value(timeout, what, supplier);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; mesh up printed:\n" + printed(), e);
        }
    }

    /** The lines mesh up printed itself, and the services' errors; other log lines left out. */
    private String printed() {
        synchronized (lines) {
            return lines.stream().filter(l -> l.contains(" ERROR ") || !LOG_LINE.matcher(l).lookingAt() && !l.startsWith("\t"))
                    .collect(java.util.stream.Collectors.joining("\n"));
        }
    }

    String address(String service) {
        Matcher m = Pattern.compile("(?m)^  " + service + "\\s+(\\S+)$").matcher(output());
        assertThat(m.find()).as(service + " in:\n" + output()).isTrue();
        return m.group(1);
    }

    /** SIGTERM, as Ctrl-C; the process must be gone within the close's bound. */
    void stop() throws InterruptedException {
        // the handle only signals; Process.destroy() would also close our end of its output before it has said all
        process.toHandle().destroy();
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        reader.join(10_000);
        assertThat(exited).as("mesh up exited after SIGTERM").isTrue();
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }
}
