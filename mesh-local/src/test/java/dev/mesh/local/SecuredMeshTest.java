package dev.mesh.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.sdk.security.MeshCredentials;
import dev.mesh.sdk.security.MeshPrincipals;
import dev.mesh.testkit.Await;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The mesh as {@code mesh up} runs it, secured: each refusal here is one a mesh without enforcement would not make.
 * Real broker with SASL/SCRAM and the standard authorizer, the real registry and services over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredMeshTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    static Path data;
    private LocalMesh mesh;

    @BeforeAll
    void start() {
        mesh = LocalMesh.start(LocalMesh.Settings.ephemeral(data, 0));
    }

    @AfterAll
    void stop() {
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void aDomainCannotWriteAnotherDomainsProduct() {
        try (KafkaProducer<byte[], byte[]> finance = producer("finance")) {
            assertThatThrownBy(() -> finance.send(new ProducerRecord<>("sales.orders.v1", new byte[]{0})).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aConfidentialProductIsReadOnlyByThoseItsContractNames() {
        // sales.customers is confidential and names marketing as its only reader
        assertThatThrownBy(() -> readOne("finance", "sales.customers.v1"))
                .isInstanceOfAny(TopicAuthorizationException.class, GroupAuthorizationException.class)
                .hasMessageContaining("sales.customers.v1");
        assertThat(readOne("marketing", "sales.customers.v1")).as("marketing reads its partitions' end offsets").isNotNull();
        // an internal product is for every domain of the mesh
        assertThat(readOne("finance", "sales.orders.v1")).isNotNull();
    }

    @Test
    void theRegistryAnswersOnlyItsPrincipalsAndOnlyOwnersChangeSubjects() throws Exception {
        HttpResponse<String> anonymous = send(mesh.registryUrl(), "GET", "/subjects", null, Optional.empty());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json(anonymous).path("error_code").asInt()).isEqualTo(40101);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));

        HttpResponse<String> wrongSecret = send(mesh.registryUrl(), "GET", "/subjects", null,
                Optional.of(new MeshCredentials("sales", "not-the-secret")));
        assertThat(wrongSecret.statusCode()).isEqualTo(401);

        assertThat(send(mesh.registryUrl(), "GET", "/subjects", null, as("finance")).body()).contains("sales.orders.v1-value");

        String schema = "{\"schema\": \"\\\"string\\\"\"}";
        HttpResponse<String> foreign = send(mesh.registryUrl(), "POST", "/subjects/sales.orders.v1-value/versions", schema, as("finance"));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(json(foreign).path("error_code").asInt()).isEqualTo(40301);
        assertThat(json(foreign).path("message").asText()).contains("User:finance", "sales.orders.v1-value");

        HttpResponse<String> global = send(mesh.registryUrl(), "PUT", "/config", "{\"compatibility\": \"NONE\"}", as("sales"));
        assertThat(global.statusCode()).isEqualTo(403);
        assertThat(json(global).path("error_code").asInt()).isEqualTo(40301);
        HttpResponse<String> permanent = send(mesh.registryUrl(), "DELETE", "/subjects/sales.returns.v1-value?permanent=true", null, as("sales"));
        assertThat(permanent.statusCode()).isEqualTo(403);

        // java.net.http refuses to send a malformed escape, a raw client does not
        String malformed = rawRequest(mesh.registryUrl(), "POST /subjects/sales%zz/versions HTTP/1.1\r\n"
                + "Content-Type: application/vnd.schemaregistry.v1+json\r\nAuthorization: " + as("sales").orElseThrow().basicAuth()
                + "\r\nContent-Length: " + schema.length() + "\r\nConnection: close\r\n\r\n" + schema);
        assertThat(malformed).as("a malformed subject is the client's mistake").matches("(?s)HTTP/1\\.1 4\\d\\d .*");
        HttpResponse<String> admin = send(mesh.registryUrl(), "PUT", "/config", "{\"compatibility\": \"BACKWARD\"}", as(MeshPrincipals.ADMIN));
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(json(admin).path("compatibility").asText()).isEqualTo("BACKWARD");
        HttpResponse<String> own = send(mesh.registryUrl(), "PUT", "/config/sales.returns.v1-value", "{\"compatibility\": \"BACKWARD\"}", as("sales"));
        assertThat(own.statusCode()).as("a domain configures its own subject: %s", own.body()).isEqualTo(200);

        // each change in the audit trail with who made it; the refused ones are not changes
        try (var audit = new dev.mesh.sdk.audit.AuditLog(mesh.clientConfig(MeshPrincipals.ADMIN))) {
            Await.until(Duration.ofSeconds(30), "the config changes in the audit trail", () -> audit.read(Optional.empty(),
                    java.time.Instant.now().minus(Duration.ofMinutes(10))).stream()
                    .filter(e -> e.action().equals("registry.config")).count() >= 2);
            List<String> changes = audit.read(Optional.empty(), java.time.Instant.now().minus(Duration.ofMinutes(10))).stream()
                    .filter(e -> e.action().equals("registry.config"))
                    .map(e -> e.principal() + " " + e.details().get("request")).toList();
            assertThat(changes).contains("User:admin PUT /config", "User:sales PUT /config/sales.returns.v1-value")
                    .doesNotContain("User:sales PUT /config");
        }
    }

    /** The registry beside the schemas jar enforces the mesh's ERROR policies on what is registered as a product. */
    @Test
    void theRegistryRefusesAContractThatBreaksAPolicyNamingIt() throws Exception {
        String schema = "{\\\"type\\\": \\\"record\\\", \\\"name\\\": \\\"Note\\\", \\\"fields\\\": ["
                + "{\\\"name\\\": \\\"id\\\", \\\"type\\\": \\\"string\\\"}]}";
        String request = "{\"schema\": \"" + schema + "\", \"metadata\": {\"properties\": {\"product\": \"sales.notes\","
                + " \"classification\": \"internal\", \"owner\": \"sales\", \"owner.contact\": \"sales@shop.example\"}}}";
        HttpResponse<String> refused = send(mesh.registryUrl(), "POST", "/subjects/sales.notes.v1-value/versions", request, as("sales"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(json(refused).path("message").asText()).contains("sales.notes", "[source-freshness-slo]",
                "[field-documented] field 'id'");
        // finance tightens owner-contact (a WARN for the mesh) to ERROR in schemas/products/finance/policies.yaml
        HttpResponse<String> finance = registerWithoutContact("finance");
        assertThat(finance.statusCode()).as(finance.body()).isEqualTo(422);
        assertThat(json(finance).path("message").asText()).contains("finance.memos", "[owner-contact]");
        HttpResponse<String> sales = registerWithoutContact("sales");
        assertThat(sales.statusCode()).as("a WARN for sales: %s", sales.body()).isEqualTo(200);
        // a schema that is no product (no contract in its metadata) is not the policies' business
        HttpResponse<String> plain = send(mesh.registryUrl(), "POST", "/subjects/sales.notes.v1-value/versions",
                "{\"schema\": \"" + schema + "\"}", as("sales"));
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
    }

    @Test
    void intakeTakesOnlyTheOwningDomainAndPublishesNothingForOthers() throws Exception {
        String order = "{\"customerId\": \"c-" + UUID.randomUUID() + "\", \"currency\": \"EUR\", \"totalAmount\": 19.98,"
                + " \"lines\": [{\"sku\": \"mug\", \"quantity\": 2, \"unitPrice\": 9.99}]}";
        // sales publishes v2 (a v1 body is upgraded); the bridge feeds v1 from it
        long before = endOffsets("sales.orders.v2");
        HttpResponse<String> anonymous = send(mesh.url("sales"), "POST", "/products/orders", order, Optional.empty());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> foreign = send(mesh.url("sales"), "POST", "/products/orders", order, as("finance"));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(json(foreign).path("message").asText()).contains("User:finance");
        assertThat(endOffsets("sales.orders.v2")).as("nothing published for a refused client").isEqualTo(before);

        HttpResponse<String> owner = send(mesh.url("sales"), "POST", "/products/orders", order, as("sales"));
        assertThat(owner.statusCode()).as(owner.body()).isBetween(200, 202);
        Await.until(Duration.ofSeconds(30), "the owner's order in sales.orders.v2", () -> endOffsets("sales.orders.v2") > before);
    }

    /** Each domain through its own intake, the settlements app under its ACLs, the lookup as a reader. */
    @Test
    void anOrderAndItsPaymentSettleOnTheSecuredMesh() throws Exception {
        String orderId = "o-secured-" + UUID.randomUUID();
        String order = "{\"orderId\": \"" + orderId + "\", \"customerId\": \"c-1\", \"currency\": \"EUR\", \"totalAmount\": 19.98,"
                + " \"lines\": [{\"sku\": \"mug\", \"quantity\": 2, \"unitPrice\": 9.99}]}";
        assertThat(send(mesh.url("sales"), "POST", "/products/orders", order, as("sales")).statusCode()).isEqualTo(202);
        String payment = "{\"orderId\": \"" + orderId + "\", \"kind\": \"CAPTURED\", \"amount\": 19.98, \"currency\": \"EUR\"}";
        HttpResponse<String> paid = send(mesh.url("finance"), "POST", "/products/payments", payment, as("finance"));
        assertThat(paid.statusCode()).as(paid.body()).isEqualTo(202);
        JsonNode settlement = Await.value(Duration.ofSeconds(60), "the settlement of " + orderId + " as PAID", () -> {
            try {
                HttpResponse<String> r = send(mesh.url("finance"), "GET", "/products/order-settlements/" + orderId, null, as("marketing"));
                JsonNode json = r.statusCode() == 200 ? json(r) : null;
                return Optional.ofNullable(json).filter(j -> j.path("status").asText().equals("PAID"));
            } catch (Exception e) {
                return Optional.empty();
            }
        });
        assertThat(settlement.path("netAmount").decimalValue()).isEqualByComparingTo("19.98");
        assertThat(send(mesh.url("finance"), "GET", "/products/order-settlements/" + orderId, null, Optional.empty()).statusCode())
                .as("a lookup needs a principal").isEqualTo(401);
        // finance.revenue-daily is confidential: its lookups, like its topic, are for finance (and admins) only
        String day = "/products/revenue-daily/EUR%7C" + java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        HttpResponse<String> foreign = send(mesh.url("finance"), "GET", day, null, as("marketing"));
        assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(403);
        assertThat(json(foreign).path("message").asText()).contains("User:marketing", "finance.revenue-daily");
        // revenue-daily's app may still be joining its group as the first settlement arrives: 503 until it runs
        int own = Await.value(Duration.ofSeconds(60), "finance's own lookup of revenue-daily answered", () -> {
            try {
                int status = send(mesh.url("finance"), "GET", day, null, as("finance")).statusCode();
                return status == 503 ? Optional.<Integer>empty() : Optional.of(status);
            } catch (Exception e) {
                return Optional.empty();
            }
        });
        assertThat(own).as("finance reads its confidential product").isIn(200, 404);
    }

    @Test
    void healthDetailsAreForPrincipalsAndMetricsForAdmins() throws Exception {
        HttpResponse<String> anonymous = send(mesh.url("finance"), "GET", "/health", null, Optional.empty());
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(json(anonymous).has("details")).as(anonymous.body()).isFalse();
        HttpResponse<String> finance = send(mesh.url("finance"), "GET", "/health", null, as("finance"));
        assertThat(json(finance).path("details").path("mesh").isMissingNode()).as(finance.body()).isFalse();
        assertThat(send(mesh.url("finance"), "GET", "/prometheus", null, Optional.empty()).statusCode()).isEqualTo(401);
        // metrics tell routes, errors and sign-in failures: the admins' (Prometheus scrapes as the admin)
        assertThat(send(mesh.url("finance"), "GET", "/prometheus", null, as("finance")).statusCode()).isEqualTo(403);
        assertThat(send(mesh.url("finance"), "GET", "/prometheus", null, as(MeshPrincipals.ADMIN)).statusCode()).isEqualTo(200);
    }

    private Optional<MeshCredentials> as(String user) {
        return mesh.credentials().flatMap(store -> store.find(user));
    }

    private KafkaProducer<byte[], byte[]> producer(String user) {
        Map<String, Object> p = kafka(user);
        p.put("max.block.ms", 20_000);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Reads a record's worth as the user under one of its groups: the end offsets it may see, or the refusal. */
    private Map<TopicPartition, Long> readOne(String user, String topic) {
        Map<String, Object> p = kafka(user);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, user + "-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            consumer.poll(Duration.ofSeconds(5));
            return consumer.endOffsets(consumer.assignment());
        }
    }

    private long endOffsets(String topic) {
        Map<String, Object> p = kafka(MeshPrincipals.ADMIN);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private Map<String, Object> kafka(String user) {
        Map<String, Object> p = new HashMap<>(as(user).orElseThrow().kafkaProperties());
        p.put("bootstrap.servers", mesh.bootstrapServers());
        return p;
    }

    /** Registers, as the domain, a documented product with a freshness SLO whose owner gives no contact address. */
    private HttpResponse<String> registerWithoutContact(String domain) throws Exception {
        String schema = "{\\\"type\\\": \\\"record\\\", \\\"name\\\": \\\"Memo\\\", \\\"fields\\\": ["
                + "{\\\"name\\\": \\\"id\\\", \\\"type\\\": \\\"string\\\", \\\"doc\\\": \\\"The memo.\\\"}]}";
        String request = "{\"schema\": \"" + schema + "\", \"metadata\": {\"properties\": {\"product\": \"" + domain + ".memos\","
                + " \"classification\": \"internal\", \"owner\": \"" + domain + "\", \"owner.contact\": \"nobody\","
                + " \"slo.freshness\": \"PT5M\"}}}";
        return send(mesh.registryUrl(), "POST", "/subjects/" + domain + ".memos.v1-value/versions", request, as(domain));
    }

    private HttpResponse<String> send(String base, String method, String path, String body, Optional<MeshCredentials> user)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", base.equals(mesh.registryUrl()) ? "application/vnd.schemaregistry.v1+json" : "application/json");
        user.ifPresent(c -> request.header("Authorization", c.basicAuth()));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String rawRequest(String base, String request) throws Exception {
        URI uri = URI.create(base);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }
}
