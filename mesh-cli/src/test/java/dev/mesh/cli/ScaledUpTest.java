package dev.mesh.cli;

import dev.mesh.sdk.security.CredentialStore;
import dev.mesh.sdk.security.MeshCredentials;
import dev.mesh.testkit.Await;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mesh up --brokers 3 --instances 2}: a secured three-broker cluster, two registries and two instances of each
 * service on one machine; it prints which instance runs which tasks, and a settlement answers through either finance
 * instance whichever holds it.
 */
class ScaledUpTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void threeBrokersAndTwoInstancesOfEachServiceShareTheWork(@TempDir Path data) throws Exception {
        UpProcess up = UpProcess.start(data, "--brokers", "3", "--instances", "2");
        try {
            up.awaitFirstDerivedRecord();
            assertThat(up.address("kafka").split(",")).as("three brokers").hasSize(3);
            assertThat(up.address("registry").split(",")).as("two registries").hasSize(2);
            for (String finance : List.of("finance", "finance-2")) {
                // a block is printed each time the apps settle; the lines arrive as the process writes them
                String tasks = up.awaitValue(Duration.ofSeconds(120), "which tasks " + finance + " runs",
                        () -> tasks(up.output(), finance, "finance-order-settlements"));
                assertThat(tasks)
                        .as("%s runs some of the settlements' tasks and keeps copies of others", finance)
                        .matches("active \\d+_\\d+.* \\| standby \\d+_\\d+.*");
            }

            MeshCredentials financeUser = CredentialStore.at(data.resolve("credentials")).find("finance").orElseThrow();
            Set<String> orders = settledOrders(data, up.address("kafka"), 20);
            for (String orderId : orders) {
                for (String finance : List.of("finance", "finance-2")) {
                    // 503 is the answer while a group rebalances; anything else but the record is wrong
                    Await.until(Duration.ofSeconds(30), orderId + " through " + finance, () -> {
                        HttpResponse<String> r = get(up.address(finance) + "/settlements/" + orderId, financeUser);
                        assertThat(r.statusCode()).as("%s through %s: %s", orderId, finance, r.body()).isIn(200, 503);
                        return r.statusCode() == 200 && r.body().contains("\"orderId\":\"" + orderId + "\"");
                    });
                }
            }
        } finally {
            up.stop();
        }
        assertThat(up.output()).contains("Stopped.");
    }

    private HttpResponse<String> get(String url, MeshCredentials user) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", user.basicAuth()).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + url, e);
        }
    }

    /** The tasks line of an app under an instance in the last "Instances" block. */
    private static java.util.Optional<String> tasks(String output, String instance, String app) {
        int block = output.lastIndexOf("Instances (");
        Matcher m = Pattern.compile("(?m)^  " + instance + "\\s+http\\S+\\n(?:      .*\\n)*?      " + app + "\\s+(.+)$")
                .matcher(block < 0 ? "" : output.substring(block));
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    /** Keys of settlements already written, read as the admin from the product's topic. */
    private static Set<String> settledOrders(Path data, String bootstrap, int count) {
        MeshCredentials admin = CredentialStore.at(data.resolve("credentials")).find("admin").orElseThrow();
        Map<String, Object> p = new HashMap<>(admin.kafkaProperties());
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "scaled-up-test");
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        Set<String> keys = new LinkedHashSet<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("finance.order-settlements.v1"));
            Await.until(Duration.ofSeconds(90), count + " settlements", () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
                return keys.size() >= count;
            });
        }
        return keys;
    }
}
