package dev.mesh.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.security.MeshPrincipals;
import dev.mesh.testkit.Await;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog as an OpenLineage endpoint: OpenLineage's stock HTTP transport posts a job nobody here wrote, and a
 * publisher of the mesh its own run; both appear in the catalog's lineage. A job may say it writes a product only
 * when its reporter owns it; what is not a RunEvent is refused naming the field.
 */
@ExtendWith(RunningCatalog.Extension.class)
class LineageIntakeTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final OpenLineage OL = new OpenLineage(URI.create("https://example.com/spark-export/1.0"));

    private static OpenLineageClient client(RunningCatalog catalog, String user) {
        HttpConfig config = new HttpConfig();
        config.setUrl(URI.create(catalog.url()));
        config.setEndpoint("/api/v1/lineage");
        config.setHeaders(Map.of("Authorization", catalog.credentials(user).basicAuth()));
        return new OpenLineageClient(new HttpTransport(config));
    }

    private static OpenLineage.RunEvent event(String job, List<OpenLineage.InputDataset> inputs, List<OpenLineage.OutputDataset> outputs) {
        return OL.newRunEventBuilder().eventType(OpenLineage.RunEvent.EventType.COMPLETE).eventTime(ZonedDateTime.now(ZoneOffset.UTC))
                .run(OL.newRunBuilder().runId(UUID.randomUUID()).build())
                .job(OL.newJobBuilder().namespace("spark").name(job).build())
                .inputs(inputs).outputs(outputs).build();
    }

    private static String kafka(RunningCatalog catalog) {
        return "kafka://" + catalog.bootstrapServers().split(",")[0];
    }

    private static List<String> edges(JsonNode graph) {
        List<String> out = new ArrayList<>();
        graph.path("edges").forEach(e -> out.add(e.path("source").asText() + " -> " + e.path("target").asText()));
        return out;
    }

    @Test
    void aForeignJobPostedWithTheStockTransportAppearsInTheLineage(RunningCatalog catalog) throws Exception {
        String job = "nightly-export-" + UUID.randomUUID().toString().substring(0, 8);
        String id = "job:marketing/spark/" + job;
        try (OpenLineageClient marketing = client(catalog, "marketing")) {
            marketing.emit(event(job,
                    List.of(OL.newInputDatasetBuilder().namespace(kafka(catalog)).name("sales.orders.v2").build()),
                    // marketing does not own settlements: its job may say so, the lineage does not draw it
                    List.of(OL.newOutputDatasetBuilder().namespace("s3://marketing-exports").name("orders/daily").build(),
                            OL.newOutputDatasetBuilder().namespace(kafka(catalog)).name("finance.order-settlements.v1").build())));
        }
        JsonNode graph = Await.value(WAIT, "the job in sales.orders' lineage", () -> {
            JsonNode g = catalog.api("/api/lineage/sales.orders");
            return edges(g).contains("sales.orders.v2 -> " + id) ? java.util.Optional.of(g) : java.util.Optional.empty();
        });
        assertThat(edges(graph)).contains(id + " -> dataset:s3://marketing-exports/orders/daily")
                .doesNotContain(id + " -> finance.order-settlements.v1");
        JsonNode node = null;
        for (JsonNode n : graph.path("nodes")) {
            if (n.path("id").asText().equals(id)) {
                node = n;
            }
        }
        assertThat(node).isNotNull();
        assertThat(node.path("kind").asText()).isEqualTo("job");
        assertThat(node.path("owner").asText()).as("the reporter, as signed in").isEqualTo("marketing");
        assertThat(edges(catalog.api("/api/lineage"))).contains(id + " -> dataset:s3://marketing-exports/orders/daily");
    }

    @Test
    void aPublishersOwnRunJoinsTheLineageOfItsProduct(RunningCatalog catalog) throws Exception {
        Map<String, Object> config = new HashMap<>(catalog.clientConfig(MeshPrincipals.ADMIN));
        config.put("mesh.app", "catalog-test-lineage");
        config.put("mesh.provision", "apply");
        config.put("openlineage.transport.type", "http");
        config.put("openlineage.transport.url", catalog.url());
        config.put("openlineage.transport.endpoint", "/api/v1/lineage");
        config.put("openlineage.transport.headers.Authorization", catalog.credentials(MeshPrincipals.ADMIN).basicAuth());
        String id = "job:admin/mesh/catalog-test-lineage.qa.heartbeat.v1";
        try (Mesh mesh = Mesh.connect(config);
             Publisher<GenericRecord> publisher = mesh.publisher(Product.of(RunningCatalog.heartbeat(), GenericRecord.class))) {
            Await.until(WAIT, "the publisher's job writing qa.heartbeat.v1", () ->
                    edges(catalog.api("/api/lineage/qa.heartbeat")).contains(id + " -> qa.heartbeat.v1"));
        }
    }

    @Test
    void whatIsNotARunEventIsRefusedNamingTheField(RunningCatalog catalog) {
        String valid = """
                {"eventType": "START", "eventTime": "2026-12-07T10:00:00Z", "producer": "https://example.com/x",
                 "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
                 "run": {"runId": "%s"}, "job": {"namespace": "spark", "name": %s}, "inputs": %s}
                """;
        String run = UUID.randomUUID().toString();
        var missingName = catalog.post("/api/v1/lineage", valid.formatted(run, "null", "[]"));
        assertThat(missingName.statusCode()).isEqualTo(400);
        assertThat(missingName.body()).contains("job.name: missing");
        var badRun = catalog.post("/api/v1/lineage", valid.formatted("run-1", "\"x\"", "[]"));
        assertThat(badRun.statusCode()).isEqualTo(400);
        assertThat(badRun.body()).contains("run.runId: 'run-1' is not a UUID");
        var badInput = catalog.post("/api/v1/lineage", valid.formatted(run, "\"x\"", "[{\"namespace\": \"s3://b\"}]"));
        assertThat(badInput.statusCode()).isEqualTo(400);
        assertThat(badInput.body()).contains("inputs[0].name: missing");
        // a job's dataset names are bounded in all (each is held in the catalog's memory and in one Kafka record)
        String big = java.util.stream.IntStream.range(0, 70).mapToObj(i -> "{\"namespace\": \"s3://b\", \"name\": \"" + i + "-"
                + "x".repeat(1_000) + "\"}").collect(java.util.stream.Collectors.joining(",", "[", "]"));
        var tooMuch = catalog.post("/api/v1/lineage", valid.formatted(run, "\"big\"", big));
        assertThat(tooMuch.statusCode()).as(tooMuch.body()).isEqualTo(400);
        assertThat(tooMuch.body()).contains("inputs, outputs: ").contains("characters of dataset names");
        assertThat(catalog.post("/api/v1/lineage", "[1, 2]").statusCode()).isEqualTo(400);
        assertThat(catalog.post("/api/v1/lineage", "{not json").statusCode()).isEqualTo(400);
        assertThat(catalog.post("/api/v1/lineage", valid.formatted(run, "\"x\"", "[]")).statusCode()).isEqualTo(201);
    }
}
