package dev.mesh.registry;

import dev.mesh.testkit.Await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A registry in a JVM of its own, so a test can kill it as a crash would (SIGKILL: no leaving the group, no
 * closing producers), which an instance inside the test JVM cannot do.
 */
final class RegistryProcess implements AutoCloseable {
    private final Process process;
    private final String url;
    /** The local KMS secret every test registry of a group shares, so shared KEKs unwrap on each. */
    static final String SECRET = "registry-process-test-secret";

    private RegistryProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** A registry in a JVM of its own, alone on {@code topic}: returned once it leads. */
    static RegistryProcess start(String bootstrapServers, String topic) throws Exception {
        // the child's output goes to a file: a pipe nobody reads would fill up and block its logging threads
        Path log = Files.createTempFile("registry-process", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), bootstrapServers, topic))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String url = Await.value(Duration.ofSeconds(60), "the registry process to start (log: " + log + ")",
                    () -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException("the registry process ended; its log: " + log);
                        }
                        return lines(log).stream().filter(l -> l.startsWith("REGISTRY "))
                                .map(l -> l.substring("REGISTRY ".length())).findFirst();
                    });
            // alone on its topic it leads once its group has formed; an instance started before that could win the
            // election instead (neither yet follows a leader, so the smaller id leads), and the tests start one after
            RegistryHttp http = new RegistryHttp(url);
            Await.until(Duration.ofSeconds(60), "the registry process to lead (log: " + log + ")",
                    () -> http.role().role().equals("leader"));
            return new RegistryProcess(p, url);
        } catch (RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    String url() {
        return url;
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    /** The child's entry point: a registry on the given bootstrap and topic, its URL on stdout, until killed. */
    public static final class Main {
        public static void main(String[] args) throws InterruptedException {
            EmbeddedRegistry registry = EmbeddedRegistry.start(args[0], 0, Map.of("registry.topic", args[1],
                    "registry.encryption.secret", SECRET));
            System.out.println("REGISTRY " + registry.url());
            System.out.flush();
            Thread.currentThread().join();
        }
    }
}
