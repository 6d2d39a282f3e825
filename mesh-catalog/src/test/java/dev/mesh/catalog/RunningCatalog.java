package dev.mesh.catalog;

import dev.mesh.sdk.Product;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.local.LocalMesh;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.contract.loader.ContractLoader;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.errors.RuleViolationException;
import dev.mesh.testkit.Await;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.mesh.sdk.access.AccessPlan;
import dev.mesh.sdk.access.ClusterAcls;
import dev.mesh.sdk.security.MeshCredentials;
import dev.mesh.sdk.security.MeshPrincipals;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The catalog against a whole mesh with generated traffic, once per test JVM: every test class of this module
 * reads the same one. Besides the domains' products it holds two of its own: {@code qa.widgets}, registered in two
 * schema versions with one record dead-lettered by a rule, and {@code qa.ghost}, a catalog entry whose topic and
 * subject do not exist.
 */
final class RunningCatalog implements AutoCloseable {
    static final String WIDGETS = "qa.widgets";
    static final String GHOST = "qa.ghost";
    /** A product the tests publish at will, with short SLOs the catalog evaluates every {@link #SLO_PERIOD}. */
    static final String HEARTBEAT = "qa.heartbeat";
    static final String SLO_PERIOD = "2s";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RunningCatalog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final LocalMesh mesh;
    private final EmbeddedServer catalog;
    private final WebhookReceiver webhook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RunningCatalog(Path dataDir, LocalMesh mesh, EmbeddedServer catalog, WebhookReceiver webhook) {
        this.webhook = webhook;
        this.dataDir = dataDir;
        this.mesh = mesh;
        this.catalog = catalog;
    }

    static RunningCatalog shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(RunningCatalog.class, k -> start(), RunningCatalog.class);
    }

    /** Hands tests the shared catalog as a parameter. */
    static final class Extension implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == RunningCatalog.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return shared(context);
        }
    }

    private static RunningCatalog start() {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("mesh-catalog-test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        LocalMesh mesh = LocalMesh.start(LocalMesh.Settings.ephemeral(dataDir, 10.0));
        EmbeddedServer server = null;
        // qa's chat: its first call fails, so the first alert is delivered on a second attempt
        WebhookReceiver webhook = new WebhookReceiver(1);
        try {
            Map<String, Object> settings = new HashMap<>(mesh.serviceSettings(MeshPrincipals.CATALOG));
            settings.putAll(Map.of(
                    "micronaut.server.port", -1,
                    "micronaut.server.host", "127.0.0.1",
                    "kafka.bootstrap.servers", mesh.bootstrapServers(),
                    "schema.registry.url", mesh.registryUrl(),
                    "catalog.grant-expiry-check", "1s",
                    "catalog.slo.period", SLO_PERIOD,
                    "catalog.alerts.webhooks.qa", webhook.url()));
            server = CatalogServer.start(settings);
            RunningCatalog running = new RunningCatalog(dataDir, mesh, server, webhook);
            running.addTestProducts();
            running.awaitTraffic();
            return running;
        } catch (RuntimeException | Error e) {
            if (server != null) {
                server.getApplicationContext().close();
            }
            webhook.close();
            mesh.close();
            throw e;
        }
    }

    String url() {
        return "http://127.0.0.1:" + catalog.getPort();
    }

    String registryUrl() {
        return mesh.registryUrl();
    }

    String bootstrapServers() {
        return mesh.bootstrapServers();
    }

    /** GET, with the status and the body as text. */
    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).GET());
    }

    /** GET as {@code user}. */
    HttpResponse<String> get(String path, String user) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).GET(), credentials(user));
    }

    /** POST, as JSON, with the status and the body as text. */
    HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** POST, as JSON, signed in as {@code user}. */
    HttpResponse<String> post(String path, String body, String user) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), credentials(user));
    }

    /** A principal's credentials, e.g. finance's. */
    MeshCredentials credentials(String user) {
        return mesh.credentials().orElseThrow().find(user).orElseThrow();
    }

    /** Kafka and registry settings signed in as {@code user}. */
    Map<String, Object> clientConfig(String user) {
        return mesh.clientConfig(user);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request, user());
    }

    private HttpResponse<String> send(HttpRequest.Builder request, MeshCredentials as) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).header("Authorization", as.basicAuth()).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.build().method() + " " + request.build().uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET of the JSON API, expecting 200. */
    JsonNode api(String path) {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return json(response.body());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** The product as /api/products lists it. */
    /** A listed product by id (its first major listed) or by topic. */
    Optional<JsonNode> listed(String idOrTopic) {
        for (JsonNode p : api("/api/products")) {
            if (p.path("id").asText().equals(idOrTopic) || p.path("topic").asText().equals(idOrTopic)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Who the tests log in to the catalog as: a domain's principal, as a person of that team would. */
    MeshCredentials user() {
        return mesh.credentials().orElseThrow().find("sales").orElseThrow();
    }

    /** The test products are published as the admin, and their ACLs applied as {@code mesh access apply} would. */
    private void addTestProducts() {
        Map<String, Object> config = new HashMap<>(mesh.clientConfig(MeshPrincipals.ADMIN));
        config.put("mesh.app", "catalog-test");
        config.put("mesh.provision", "apply");
        try (Mesh client = Mesh.connect(config)) {
            List<ProductContract> contracts = new java.util.ArrayList<>(Product.all().stream().map(Product::contract).toList());
            contracts.add(widgets("1.1.0", true));
            contracts.add(heartbeat());
            ClusterAcls.apply(client.admin(), AccessPlan.of(contracts));
            try (Publisher<GenericRecord> v1 = client.publisher(Product.of(widgets("1.0.0", false), GenericRecord.class))) {
                v1.publish(widget(v1, "w-1", 2.5)).get(30, TimeUnit.SECONDS);
            }
            try (Publisher<GenericRecord> v2 = client.publisher(Product.of(widgets("1.1.0", true), GenericRecord.class))) {
                GenericRecord red = widget(v2, "w-2", 4.0);
                red.put("color", "red");
                v2.publish(red).get(30, TimeUnit.SECONDS);
                try {
                    v2.publish(widget(v2, "w-bad", -1)).get(30, TimeUnit.SECONDS);
                    throw new AssertionError("a widget with a negative price was published, not dead-lettered");
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RuleViolationException v && v.deadLettered())) {
                        throw new AssertionError("dead-lettering failed", e.getCause());
                    }
                }
            }
            client.catalog().publishProduct(new ProductEntry(GHOST, "1.0.0", 1, GHOST + ".v1", GHOST + ".v1-value",
                    GHOST + ".v1.dlq", "qa", "qa@shop.example", "A product whose topic and schema were deleted.", "id",
                    "internal", List.of("test"), "BACKWARD", "PT5M", null, 1, null, "delete", List.of(), List.of(),
                    null, "gone-app", null, Instant.now(), null, null, null));
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the test products: " + e, e);
        }
    }

    private static GenericRecord widget(Publisher<GenericRecord> publisher, String id, double price) {
        GenericRecord r = new GenericData.Record(publisher.contract().schema());
        r.put("widgetId", id);
        r.put("name", "Widget " + id);
        r.put("price", price);
        return r;
    }

    /** Version 1.1.0 adds an optional colour: a compatible change, so a second version of the same subject. */
    private static ProductContract widgets(String version, boolean withColor) {
        String contract = """
                product: qa.widgets
                version: %s
                owner: {team: qa, contact: qa@shop.example}
                description: Widgets of the catalog's tests.
                key: widgetId
                schema: Widget.avsc
                topic: {partitions: 2}
                compatibility: FULL_TRANSITIVE
                classification: internal
                tags: [test, widgets]
                slo: {freshness: 1h}
                deprecated: {successor: qa.widgets.v2, sunset: 2099-12-31}
                quality:
                  - {name: positive-price, expr: "message.price > 0.0", onFailure: DLQ, doc: "A widget costs something."}
                  - {name: has-name, expr: "size(message.name) > 0", onFailure: DLQ, doc: "A widget has a name."}
                """.formatted(version);
        String color = withColor
                ? ", {\"name\": \"color\", \"type\": [\"null\", \"string\"], \"default\": null, \"doc\": \"Paint colour.\"}" : "";
        String schema = """
                {"type": "record", "name": "Widget", "namespace": "dev.mesh.qa", "doc": "A widget.", "fields": [
                  {"name": "widgetId", "type": "string", "doc": "Unique id."},
                  {"name": "name", "type": "string", "doc": "What it is called."},
                  {"name": "price", "type": "double", "doc": "Price in EUR."}%s
                ]}
                """.formatted(color);
        return ContractLoader.parse("qa/widgets/contract.yaml", contract,
                name -> name.equals("Widget.avsc") ? Optional.of(schema) : Optional.empty());
    }

    /** The webhook qa's alerts go to. */
    WebhookReceiver webhook() {
        return webhook;
    }

    /** A publisher of {@link #HEARTBEAT} as the admin; the caller closes it. */
    Mesh heartbeatClient() {
        Map<String, Object> config = new HashMap<>(mesh.clientConfig(MeshPrincipals.ADMIN));
        config.put("mesh.app", "catalog-test-heartbeat");
        config.put("mesh.provision", "apply");
        return Mesh.connect(config);
    }

    /**
     * Beats must be ok; a beat that is not is dead-lettered. Fresh within 4 s; at most 10% of a 12 s window
     * dead-lettered.
     */
    static ProductContract heartbeat() {
        String contract = """
                product: qa.heartbeat
                version: 1.0.0
                owner: {team: qa, contact: qa-oncall@shop.example}
                description: Beats of the catalog's SLO tests.
                key: beatId
                schema: Beat.avsc
                topic: {partitions: 1}
                compatibility: FULL_TRANSITIVE
                classification: internal
                tags: [test]
                slo: {freshness: 4s, window: 12s, deadLetterRatio: 10%}
                quality:
                  - {name: beat-ok, expr: "message.ok", onFailure: DLQ, doc: "A beat is ok."}
                """;
        String schema = """
                {"type": "record", "name": "Beat", "namespace": "dev.mesh.qa", "doc": "A beat.", "fields": [
                  {"name": "beatId", "type": "string", "doc": "Unique id."},
                  {"name": "ok", "type": "boolean", "doc": "Whether it is ok."}
                ]}
                """;
        return ContractLoader.parse("qa/heartbeat/contract.yaml", contract,
                name -> name.equals("Beat.avsc") ? Optional.of(schema) : Optional.empty());
    }

    /** Until the generators have filled the domains' products and the catalog sees them with consumers. */
    private void awaitTraffic() {
        Await.until(WAIT, "records in sales.orders and sales.customers, campaign-performance in the catalog and the widgets' dead letter counted", () -> {
            JsonNode orders = listed("sales.orders.v2").orElse(null);
            JsonNode customers = listed("sales.customers").orElse(null);
            return orders != null && customers != null && listed("marketing.campaign-performance").isPresent()
                    && listed(GHOST).isPresent()
                    // dead letters are measured in the background every few seconds, the first time maybe before w-bad
                    && listed(WIDGETS).map(w -> w.path("deadLetters").asLong() == 1).orElse(false)
                    && orders.path("freshness").path("status").asText().equals(Freshness.FRESH)
                    && customers.path("freshness").path("status").asText().equals(Freshness.FRESH)
                    && orders.path("consumers").asInt() > 0;
        });
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is not worth failing a run for
        }
    }

    @Override
    public void close() {
        try {
            catalog.getApplicationContext().close();
        } finally {
            webhook.close();
            mesh.close();
            deleteRecursively(dataDir);
        }
    }
}
