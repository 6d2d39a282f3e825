package dev.mesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mesh up} in a process of its own, stopped with SIGTERM as Ctrl-C does: it finishes closing before the JVM
 * exits, the broker shuts down cleanly, and the next start restores nothing from changelogs.
 */
class CleanStopTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sigtermClosesEverythingAndTheNextStartRestoresNothing(@TempDir Path data) throws Exception {
        UpProcess first = UpProcess.start(data);
        try {
            first.awaitFirstDerivedRecord();
        } finally {
            first.stop();
        }
        assertThat(first.output()).contains("Stopping the mesh...", "Stopped.");
        assertThat(data.resolve("kafka/data/.kafka_cleanshutdown")).as("the broker's clean-shutdown marker").exists();

        UpProcess second = UpProcess.start(data);
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
}
