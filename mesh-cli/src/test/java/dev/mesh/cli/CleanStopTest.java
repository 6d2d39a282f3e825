package dev.mesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mesh up} in a process of its own, stopped with SIGTERM as Ctrl-C does: it finishes closing before the JVM
 * exits, the broker shuts down cleanly, and the next start restores nothing from changelogs.
 */
class CleanStopTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sigtermClosesEverythingAndTheNextStartRestoresNothing(@TempDir Path data) throws Exception {
        Up first = Up.start(data);
        try {
            first.awaitFirstDerivedRecord();
        } finally {
            first.stop();
        }
        assertThat(first.output()).contains("Stopping the mesh...", "Stopped.");
        assertThat(data.resolve("kafka/data/.kafka_cleanshutdown")).as("the broker's clean-shutdown marker").exists();

        Up second = Up.start(data);
        try {
            second.awaitFirstDerivedRecord();
            // the audit trail of the first run is there after the restart, each registration once
            var admin = dev.mesh.sdk.security.CredentialStore.at(data.resolve("credentials")).find("admin").orElseThrow();
            java.util.Map<String, Object> client = new java.util.HashMap<>(admin.kafkaProperties());
            client.put("bootstrap.servers", second.address("kafka"));
            try (var audit = new dev.mesh.sdk.audit.AuditLog(client)) {
                List<String> registered = audit.read(java.util.Optional.of("sales.orders.v2"), java.time.Instant.EPOCH).stream()
                        .filter(e -> e.action().equals("registry.register")).map(e -> e.principal() + " " + e.details().get("answer")).toList();
                assertThat(registered).as("sales.orders.v2 registered by sales in the first run, told once").isNotEmpty()
                        .allSatisfy(r -> assertThat(r).startsWith("User:sales"))
                        .doesNotHaveDuplicates();
            }
            for (String service : List.of("finance", "marketing")) {
                JsonNode apps = JSON.readTree(get(second.address(service) + "/health", data, service)).at("/details/mesh/details/streams");
                assertThat(apps.size()).as("streams apps of " + service).isPositive();
                apps.fields().forEachRemaining(app -> assertThat(app.getValue().get("restoredRecords").asLong())
                        .as("records %s restored from changelogs after a clean stop", app.getKey()).isZero());
            }
        } finally {
            second.stop();
        }
        assertThat(second.output()).contains("Stopped.");
    }

    /** As the domain's principal: health details are for authenticated callers. */
    private static String get(String url, Path data, String user) throws IOException, InterruptedException {
        var c = dev.mesh.sdk.security.CredentialStore.at(data.resolve("credentials")).find(user).orElseThrow();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", c.basicAuth()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** One {@code mesh up} process on free ports, its output collected. */
    private record Up(Process process, List<String> lines, Thread reader) {
        static Up start(Path data) throws IOException {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dlogback.configurationFile=" + Path.of("..", "config", "logback.xml").toAbsolutePath(), "-cp", classpath,
                    MeshCli.class.getName(), "up", "--data-dir", data.toString(), "--kafka-port", "0", "--registry-port", "0",
                    "--sales-port", "0", "--finance-port", "0", "--marketing-port", "0", "--catalog-port", "0", "--rate", "5")
                    .redirectErrorStream(true).start();
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
            return new Up(p, lines, reader);
        }

        void awaitFirstDerivedRecord() {
            Await.until(Duration.ofSeconds(120), "mesh up and its first derived record",
                    () -> output().contains("First derived record") || !process.isAlive());
            assertThat(output()).as("mesh up printed").contains("First derived record");
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
}
