package dev.mesh.sdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.ProductStreams;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.errors.RuleViolationException;
import dev.mesh.sdk.it.model.TestOrder;
import dev.mesh.sdk.it.model.TestSettlement;
import dev.mesh.testkit.Await;
import dev.mesh.testkit.OpenLineageSchemas;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A publisher and a Streams app send their runs with OpenLineage's stock HTTP transport to an endpoint of the
 * test's: START, RUNNING every second (the publisher's with its rules' results), COMPLETE; every event valid against
 * OpenLineage's JSON Schemas of the client's version.
 */
@ExtendWith(TestMesh.class)
class OpenLineageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An OpenLineage endpoint: every event posted, with the Authorization header it came with. */
    private static final class Endpoint implements AutoCloseable {
        private final HttpServer server;
        private final List<JsonNode> events = new ArrayList<>();
        private final List<String> authorizations = new ArrayList<>();

        Endpoint() throws Exception {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/api/v1/lineage", exchange -> {
                JsonNode event = JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                synchronized (events) {
                    events.add(event);
                    authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
                }
                exchange.sendResponseHeaders(201, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        List<JsonNode> of(String job) {
            synchronized (events) {
                return events.stream().filter(e -> e.path("job").path("name").asText().equals(job)).toList();
            }
        }

        Optional<JsonNode> find(String job, String type) {
            return of(job).stream().filter(e -> e.path("eventType").asText().equals(type)).findFirst();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static Map<String, Object> config(TestMesh t, String app, Endpoint endpoint) {
        Map<String, Object> config = t.config(app);
        config.put("openlineage.transport.type", "http");
        config.put("openlineage.transport.url", endpoint.url());
        config.put("openlineage.transport.endpoint", "/api/v1/lineage");
        config.put("openlineage.transport.headers.Authorization", "Bearer lineage-token");
        config.put("openlineage.trackingIntervalInSeconds", "1");
        return config;
    }

    @Test
    void aPublishersRunCarriesItsProductAndTheResultsOfItsRules(TestMesh t) throws Exception {
        String domain = TestMesh.uniqueDomain();
        ProductContract orders = TestMesh.contract("orders", domain);
        String job = "ol-publisher." + orders.topicName();
        try (Endpoint endpoint = new Endpoint()) {
            try (Mesh mesh = Mesh.connect(config(t, "ol-publisher", endpoint));
                 Publisher<TestOrder> publisher = mesh.publisher(Product.of(orders, TestOrder.class))) {
                JsonNode start = Await.value(Duration.ofSeconds(30), "START", () -> endpoint.find(job, "START"));
                assertThat(start.path("job").path("namespace").asText()).isEqualTo("mesh");
                assertThat(start.path("job").path("facets").path("jobType").path("processingType").asText()).isEqualTo("STREAMING");
                assertThat(start.path("job").path("facets").path("jobType").path("jobType").asText()).isEqualTo("PUBLISHER");
                JsonNode output = start.path("outputs").get(0);
                assertThat(output.path("namespace").asText()).isEqualTo("kafka://" + t.kafka().bootstrapServers().split(",")[0]);
                assertThat(output.path("name").asText()).isEqualTo(orders.topicName());
                assertThat(output.path("facets").path("schema").path("fields").findValuesAsText("name"))
                        .contains("orderId", "email", "totalAmount");
                assertThat(output.path("facets").path("schema").toString()).contains("decimal(12,2)");
                assertThat(output.path("facets").path("version").path("datasetVersion").asText()).matches("[0-9]+");
                assertThat(output.path("facets").path("ownership").path("owners").get(0).path("name").asText()).isEqualTo("team:sales");
                assertThat(output.path("facets").path("tags").path("tags").toString()).contains("\"field\":\"email\"", "\"key\":\"PII\"");

                publisher.publish(SerdeWireFormatTest.order("o-1", "10.00")).get(30, TimeUnit.SECONDS);
                try {
                    publisher.publish(SerdeWireFormatTest.order("o-2", "0.00")).get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(RuleViolationException.class);
                }
                JsonNode broken = Await.value(Duration.ofSeconds(30), "a RUNNING event with positive-total broken once", () ->
                        endpoint.of(job).stream().filter(e -> e.path("eventType").asText().equals("RUNNING"))
                                .map(e -> e.path("outputs").get(0).path("outputFacets").path("dataQualityAssertions").path("assertions"))
                                .filter(a -> a.toString().contains("\"assertion\":\"positive-total\",\"success\":false")).findFirst());
                assertThat(broken.toString()).contains("\"actual\":\"1\"", "\"assertion\":\"has-customer\",\"success\":true");
            }
            JsonNode complete = Await.value(Duration.ofSeconds(30), "COMPLETE", () -> endpoint.find(job, "COMPLETE"));
            assertThat(complete.path("run").path("runId").asText()).isEqualTo(endpoint.find(job, "START").orElseThrow().path("run").path("runId").asText());
            assertThat(endpoint.authorizations).allMatch("Bearer lineage-token"::equals);
            for (JsonNode event : endpoint.of(job)) {
                assertThat(OpenLineageSchemas.problems(event)).as("%s", event).isEmpty();
            }
            // the check catches what breaks the specification
            com.fasterxml.jackson.databind.node.ObjectNode broken = complete.deepCopy();
            broken.put("eventType", "EXPLODED");
            ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("run")).put("runId", "not-a-uuid");
            assertThat(OpenLineageSchemas.problems(broken)).hasSize(2).anyMatch(p -> p.contains("eventType")).anyMatch(p -> p.contains("runId"));
        }
    }

    @Test
    void aStreamsAppsRunReadsItsInputsAndWritesItsProduct(TestMesh t, @TempDir Path state) throws Exception {
        String domain = TestMesh.uniqueDomain();
        ProductContract orders = TestMesh.contract("orders", domain);
        Product<TestSettlement> settled = Product.of(TestMesh.contract("settlements", domain), TestSettlement.class);
        try (Endpoint endpoint = new Endpoint();
             Mesh mesh = Mesh.connect(config(t, "ol-streams", endpoint))) {
            ProductStreams streams = mesh.streams(settled).property(StreamsConfig.STATE_DIR_CONFIG, state.toString());
            streams.to(streams.stream(Product.of(orders, TestOrder.class)).mapValues(o -> TestSettlement.newBuilder()
                    .setOrderId(o.getOrderId()).setCustomerId(o.getCustomerId()).setTotal(o.getTotalAmount().doubleValue())
                    .setPaid(0.0).build()), settled);
            String job = settled.applicationId();
            try (KafkaStreams app = streams.build()) {
                app.start();
                JsonNode start = Await.value(Duration.ofSeconds(60), "START", () -> endpoint.find(job, "START"));
                assertThat(start.path("job").path("facets").path("jobType").path("jobType").asText()).isEqualTo("STREAMS_APP");
                assertThat(start.path("inputs")).hasSize(1);
                assertThat(start.path("inputs").get(0).path("name").asText()).isEqualTo(orders.topicName());
                assertThat(start.path("outputs")).hasSize(1);
                assertThat(start.path("outputs").get(0).path("name").asText()).isEqualTo(settled.topic());
                Await.value(Duration.ofSeconds(30), "RUNNING", () -> endpoint.find(job, "RUNNING"));
            }
            Await.value(Duration.ofSeconds(30), "COMPLETE", () -> endpoint.find(job, "COMPLETE"));
            for (JsonNode event : endpoint.of(job)) {
                assertThat(OpenLineageSchemas.problems(event)).as("%s", event).isEmpty();
            }
        }
    }

    @Test
    void aTransportOpenLineageDoesNotKnowIsRefusedByName(TestMesh t) {
        Map<String, Object> config = t.config("ol-bad");
        config.put("openlineage.transport.type", "carrier-pigeon");
        assertThatThrownBy(() -> Mesh.connect(config)).isInstanceOf(MeshException.class)
                .hasMessageContaining("openlineage.transport.type=carrier-pigeon");
    }
}
