package dev.mesh.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.local.LocalMesh;
import dev.mesh.sdk.security.MeshCredentials;
import dev.mesh.testkit.Await;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/sql} on the secured mesh: records posted through the domains' intake come back from a cross-domain
 * join and an aggregation exactly; a compacted product is its latest value per key, a tombstone removes one; an
 * earlier instant gives the earlier answer; the one access decision refuses and masks; nothing but a SELECT over
 * products runs; a heavy query is cancelled at the timeout and leaves the engine answering.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String run = "q" + UUID.randomUUID().toString().substring(0, 8);
    @TempDir
    static Path data;
    private LocalMesh mesh;
    private EmbeddedServer catalog;

    @BeforeAll
    void start() {
        mesh = LocalMesh.start(LocalMesh.Settings.ephemeral(data, 0));
        Map<String, Object> settings = new HashMap<>(mesh.serviceSettings(dev.mesh.sdk.security.MeshPrincipals.CATALOG));
        settings.putAll(Map.of("micronaut.server.port", -1, "micronaut.server.host", "127.0.0.1",
                "kafka.bootstrap.servers", mesh.bootstrapServers(), "schema.registry.url", mesh.registryUrl(),
                "catalog.sql.timeout", "8s", "catalog.sql.cache-dir", data.resolve("sql").toString()));
        catalog = CatalogServer.start(settings);
    }

    @AfterAll
    void stop() {
        if (catalog != null) {
            catalog.getApplicationContext().close();
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void aJoinAcrossDomainsGivesExactlyTheRowsTheRecordsImply() throws Exception {
        order(run + "-1", "WEB", "30.00");
        order(run + "-2", "APP", "20.00");
        order(run + "-3", "WEB", "10.00");
        pay(run + "-1", "CAPTURED", "30.00");
        pay(run + "-2", "CAPTURED", "20.00");
        pay(run + "-2", "REFUNDED", "20.00");
        pay(run + "-3", "CAPTURED", "4.00");
        String settled = "SELECT count(*) FROM finance.order_settlements WHERE orderId LIKE '" + run + "-%' AND paymentCount"
                + " = CASE orderId WHEN '" + run + "-2' THEN 2 ELSE 1 END";
        Await.until(Duration.ofSeconds(120), "the three orders settled", () -> rows("admin", settled).get(0).get(0).asInt() == 3);

        String query = "SELECT o.channel, count(*) AS orders, sum(s.capturedAmount) AS captured,"
                + " sum(s.refundedAmount) AS refunded FROM sales.orders o JOIN finance.order_settlements s USING (orderId)"
                + " WHERE orderId LIKE '" + run + "-%' GROUP BY 1 ORDER BY 1";
        HttpResponse<String> answer = sql("marketing", query, null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        // exact decimals as the body carries them; an ENUM orders by its symbols' order (WEB, APP, MARKETPLACE)
        assertThat(answer.body()).contains("\"rows\":[[\"WEB\",2,34.00,0.00],[\"APP\",1,20.00,20.00]]");
        assertThat(JSON.readTree(answer.body()).path("columns").toString()).isEqualTo("[{\"name\":\"channel\",\"type\":\"ENUM\"},"
                + "{\"name\":\"orders\",\"type\":\"BIGINT\"},{\"name\":\"captured\",\"type\":\"DECIMAL(38,2)\"},"
                + "{\"name\":\"refunded\",\"type\":\"DECIMAL(38,2)\"}]");
        // the older major by name: the migration bridge carries v2's orders into v1 too
        String v1 = "SELECT count(*) FROM sales.orders_v1 WHERE orderId LIKE '" + run + "-%'";
        Await.until(Duration.ofSeconds(60), "the orders in v1", () -> rows("marketing", v1).get(0).get(0).asInt() == 3);
        // the audit trail has the query, not its values
        JsonNode trail = JSON.readTree(send("sales", "GET", "/api/audit?product=sales.orders.v2", null).body());
        assertThat(trail.toString()).contains("\"action\":\"sql\"").contains("User:marketing").doesNotContain(run);
    }

    @Test
    void aCompactedProductIsItsLatestValuePerKeyAndAnEarlierInstantItsEarlierState() throws Exception {
        String id = run + "-c";
        customer(id, "Ann Example", "DE");
        String country = "SELECT country FROM sales.customers WHERE customerId = '" + id + "'";
        Await.until(Duration.ofSeconds(60), "the customer", () -> rows("sales", country).size() == 1);
        Thread.sleep(20); // an instant strictly between the two records
        Instant between = Instant.now();
        Thread.sleep(20);
        customer(id, "Ann Example", "FR");
        Await.until(Duration.ofSeconds(60), "the update", () -> rows("sales", country).get(0).get(0).asText().equals("FR"));
        assertThat(rows("sales", country)).hasSize(1);
        assertThat(rows("sales", country, between)).singleElement().satisfies(r -> assertThat(r.get(0).asText()).isEqualTo("DE"));

        try (KafkaProducer<String, byte[]> sales = new KafkaProducer<>(kafka("sales"), new StringSerializer(), new ByteArraySerializer())) {
            sales.send(new ProducerRecord<>("sales.customers.v1", id, null)).get(30, TimeUnit.SECONDS);
        }
        Await.until(Duration.ofSeconds(60), "the tombstone", () -> rows("sales", country).isEmpty());
    }

    @Test
    void theOneAccessDecisionRefusesAndMasks() throws Exception {
        String id = run + "-p";
        customer(id, "Pat Private", "NL");
        String who = "SELECT name, email, country FROM sales.customers WHERE customerId = '" + id + "'";
        Await.until(Duration.ofSeconds(60), "the customer", () -> rows("sales", who).size() == 1);
        assertThat(rows("sales", who).get(0).toString()).isEqualTo("[\"Pat Private\", \"pat@example.com\", \"NL\"]");
        assertThat(rawValue("sales.customers.v1", id)).as("in the topic the name and e-mail are ciphertext")
                .doesNotContain("Pat Private").doesNotContain("pat@example.com").contains("NL");
        JsonNode masked = ok("marketing", who);
        assertThat(masked.path("rows").get(0).toString()).isEqualTo("[\"***\",\"***\",\"NL\"]");
        assertThat(masked.path("sources").get(0).path("piiMasked").asBoolean()).isTrue();

        // a PII grant shows it: marketing asks, sales approves, marketing's next query reads names in clear
        JsonNode request = JSON.readTree(send("marketing", "POST", "/api/access/requests",
                "{\"product\": \"sales.customers\", \"reason\": \"campaign greetings\", \"pii\": true}").body());
        assertThat(send("sales", "POST", "/api/access/" + request.path("id").asText() + "/approve", "{}").statusCode()).isEqualTo(200);
        Await.until(Duration.ofSeconds(30), "names shown to marketing under its PII grant",
                () -> rows("marketing", who).get(0).toString().equals("[\"Pat Private\", \"pat@example.com\", \"NL\"]"));

        HttpResponse<String> refused = sql("marketing", "SELECT count(*) FROM finance.payments", null);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("finance.payments").contains("mesh access request finance.payments");
        HttpResponse<String> finance = sql("finance", "SELECT o.orderId FROM sales.orders o JOIN sales.customers c USING (customerId)", null);
        assertThat(finance.statusCode()).as("one product it may not read fails the whole query").isEqualTo(403);
        assertThat(finance.body()).contains("sales.customers").doesNotContain("\"rows\"");

        // dead letters are the owner's and the admins' (as GET /api/ops/products/{id}/dlq), not every reader's
        HttpResponse<String> letters = sql("marketing", "SELECT count(*) FROM sales.customers_dlq", null);
        assertThat(letters.statusCode()).as(letters.body()).isEqualTo(403);
        assertThat(letters.body()).contains("dead letters");
        // a query that fails is in the trail too, without its message: error() can carry values out in it
        assertThat(sql("marketing", "SELECT error(string_agg(country, ',')) FROM sales.customers", null).statusCode()).isEqualTo(400);
        String trail = send("admin", "GET", "/api/audit?product=finance.payments.v1", null).body();
        assertThat(trail).contains("\"action\":\"sql\"").contains("User:marketing").contains("\"failed\":403");
        assertThat(send("admin", "GET", "/api/audit?product=sales.customers.v1", null).body()).contains("\"failed\":400");
    }

    @Test
    void onlyASelectOverProductsRuns() throws Exception {
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("COPY (SELECT 1) TO '/tmp/" + run + ".csv'", "only SELECT queries");
        refused.put("ATTACH '/tmp/" + run + ".db'", "only SELECT queries");
        refused.put("INSTALL httpfs", "only SELECT queries");
        refused.put("LOAD httpfs", "only SELECT queries");
        refused.put("SET memory_limit = '64GB'", "only SELECT queries");
        refused.put("PRAGMA version", "only SELECT queries");
        refused.put("CREATE TABLE x AS SELECT 1", "only SELECT queries");
        refused.put("SELECT * FROM read_csv('/etc/passwd')", "table function read_csv");
        refused.put("SELECT * FROM sales.orders, read_text('/etc/hostname')", "table function read_text");
        refused.put("SELECT * FROM '/etc/passwd'", "no product table '/etc/passwd'");
        refused.put("SELECT len(range(300000000)) FROM sales.orders", "function range at position 11");
        refused.put("SELECT [x FOR x IN generate_series(1, 1000000000)] FROM sales.orders", "function generate_series");
        refused.put("SELECT 'x'.REPEAT(2000000000) FROM sales.orders", "function repeat");
        refused.put("SELECT lpad(customerId, 2000000000, '-') FROM sales.customers", "function lpad");
        refused.put("SELECT printf('%2000000000d', 1) FROM sales.orders", "function printf");
        // a name is a CTE only where the CTE is in scope; elsewhere DuckDB would look for a table or a file of that name
        refused.put("SELECT * FROM duckdb_views WHERE EXISTS (WITH duckdb_views AS (SELECT 1) SELECT 1 FROM sales.orders)",
                "no product table 'duckdb_views'");
        refused.put("SELECT r.* FROM 'x.parquet' r WHERE EXISTS (WITH \"x.parquet\" AS (SELECT 1) SELECT 1 FROM sales.orders)",
                "no product table 'x.parquet'");
        refused.put("SELECT * FROM \"sales.orders\"", "letters, digits and '_'");
        refused.put("SELECT 1; SELECT 2", "one query at a time");
        refused.put("SELECT 42", "names no product");
        refused.put("SELECT * FROM sales.order", "did you mean sales.orders");
        refused.put("SELEC * FROM sales.orders", "syntax error");
        refused.put("SELECT nosuchcolumn FROM sales.orders", "nosuchcolumn");
        refused.put("SELECT 1 FROM sales.orders, information_schema.tables", "no product table 'information_schema.tables'");
        refused.put("SELECT * FROM sales.orders WHERE " + "NOT ".repeat(600) + "true", "nests too deeply");
        for (var c : refused.entrySet()) {
            HttpResponse<String> r = sql("admin", c.getKey(), null);
            assertThat(r.statusCode()).as(c.getKey() + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).as(c.getKey()).contains(c.getValue());
        }
        assertThat(java.nio.file.Files.exists(Path.of("/tmp/" + run + ".csv"))).isFalse();
        // two columns named alike stay two columns for JSON lines and Parquet
        assertThat(ok("admin", "SELECT count(*), count(*) FROM sales.orders").path("columns").toString())
                .isEqualTo("[{\"name\":\"count_star()\",\"type\":\"BIGINT\"},{\"name\":\"count_star()_2\",\"type\":\"BIGINT\"}]");
        assertThat(send("admin", "POST", "/api/sql", "{\"sql\": 42}").statusCode()).isEqualTo(400);
        for (String asOf : List.of("+300000000-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z")) {
            HttpResponse<String> r = send("admin", "POST", "/api/sql",
                    "{\"sql\": \"SELECT 1 FROM sales.orders\", \"asOf\": \"" + asOf + "\"}");
            assertThat(r.statusCode()).as(asOf + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).as(asOf).contains("asOf");
        }
        // a CTE is read where it is in scope, in a subquery too
        assertThat(ok("admin", "WITH o AS (SELECT orderId FROM sales.orders) SELECT count(*) FROM sales.orders"
                + " WHERE orderId IN (SELECT orderId FROM o)").path("rows")).hasSize(1);
        // one product named twice (its latest major by both names) is read once: the cache's lock is not taken twice
        assertThat(ok("admin", "SELECT count(*) FROM (SELECT orderId FROM sales.orders UNION ALL SELECT orderId FROM sales.orders_v2)")
                .path("rows")).hasSize(1);
        assertThat(send("admin", "POST", "/api/sql", "{\"sql\": \"SELECT 1 FROM sales.orders\", \"asOf\": \"yesterday\"}").body())
                .contains("asOf");
    }

    @Test
    void aRepeatedQueryReadsOnlyTheRecordsThatArrivedSince() throws Exception {
        String query = "SELECT count(*) FROM sales.customers WHERE customerId LIKE '" + run + "-r%'";
        customer(run + "-r1", "Ria Repeat", "AT");
        Await.until(Duration.ofSeconds(60), "the first customer", () -> rows("sales", query).get(0).get(0).asInt() == 1);
        JsonNode again = ok("sales", query);
        assertThat(again.path("sources").get(0).path("readFromKafka").asLong()).as("nothing new").isZero();
        customer(run + "-r2", "Rob Repeat", "AT");
        JsonNode later = Await.value(Duration.ofSeconds(60), "the second customer", () -> {
            try {
                JsonNode a = ok("sales", query);
                return a.path("rows").get(0).get(0).asInt() == 2 ? Optional.of(a) : Optional.empty();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(later.path("sources").get(0).path("readFromKafka").asLong()).as("only the new record").isEqualTo(1);
        assertThat(later.path("sources").get(0).path("rows").asLong()).as("the table holds every customer").isGreaterThanOrEqualTo(2);
    }

    @Test
    void deadLettersAreATableWithTheirRuleReasonAndOrigin() throws Exception {
        String id = run + "-dead";
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(mesh.url("sales") + "/products/orders-v2"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", credentials("sales").basicAuth())
                .POST(HttpRequest.BodyPublishers.ofString("{\"orderId\":\"" + id + "\",\"customerId\":\"c-1\",\"amount\":{\"value\":-5.00,"
                        + "\"currency\":\"EUR\"},\"lines\":[{\"sku\":\"mug\",\"quantity\":1,\"unitPrice\":5.00}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        String query = "SELECT rule, origin, value->>'orderId' FROM sales.orders_dlq WHERE _key = '" + id + "'";
        Await.until(Duration.ofSeconds(60), "the dead letter", () -> rows("sales", query).size() == 1);
        assertThat(rows("sales", query).get(0).toString()).isEqualTo("[\"positive-total\", \"sales.orders.v2\", \"" + id + "\"]");
        assertThat(rows("sales", "SELECT count(*) FROM sales.orders WHERE orderId = '" + id + "'").get(0).get(0).asInt()).isZero();

        // a letter written around the SDK that does not decode: what it holds could be anyone's PII, so only its size
        byte[] raw = "{\"email\":\"raw@example.com\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> sales = new KafkaProducer<>(kafka("sales"), new StringSerializer(), new ByteArraySerializer())) {
            sales.send(new ProducerRecord<>("sales.orders.v2.dlq", id + "-raw", raw)).get(30, TimeUnit.SECONDS);
        }
        String undecodable = "SELECT value FROM sales.orders_dlq WHERE _key = '" + id + "-raw'";
        Await.until(Duration.ofSeconds(60), "the raw letter", () -> rows("sales", undecodable).size() == 1);
        assertThat(rows("sales", undecodable).get(0).get(0).asText()).isEqualTo("\"(undecodable: " + raw.length + " bytes)\"");
    }

    @Test
    void longAnswersComeInPages() throws Exception {
        for (int i = 0; i < 5; i++) {
            customer(run + "-page" + i, "Page Person", "BE");
        }
        String query = "SELECT customerId FROM sales.customers WHERE customerId LIKE '" + run + "-page%' ORDER BY 1";
        Await.until(Duration.ofSeconds(60), "five customers", () -> rows("sales", query).size() == 5);
        JsonNode first = JSON.readTree(send("sales", "POST", "/api/sql", JSON.createObjectNode().put("sql", query).put("limit", 2).toString()).body());
        JsonNode third = JSON.readTree(send("sales", "POST", "/api/sql", JSON.createObjectNode().put("sql", query).put("limit", 2)
                .put("offset", 4).toString()).body());
        assertThat(first.path("rows").toString()).isEqualTo("[[\"" + run + "-page0\"],[\"" + run + "-page1\"]]");
        assertThat(first.path("truncated").asBoolean()).isTrue();
        assertThat(third.path("rows").toString()).isEqualTo("[[\"" + run + "-page4\"]]");
        assertThat(third.path("truncated").asBoolean()).isFalse();
        assertThat(send("sales", "POST", "/api/sql", "{\"sql\": \"SELECT 1 FROM sales.orders\", \"offset\": -1}").statusCode()).isEqualTo(400);
    }

    @Test
    void describeShowsColumnsWithTheirDocsAndTypes() throws Exception {
        List<List<JsonNode>> columns = rows("sales", "DESCRIBE sales.orders");
        List<String> lines = new ArrayList<>();
        columns.forEach(c -> lines.add(c.get(0).asText() + " " + c.get(1).asText() + " " + c.get(2).asText()));
        assertThat(lines).contains("orderId VARCHAR Unique id of the order.", "placedAt TIMESTAMP WITH TIME ZONE When the order was placed.",
                "_offset BIGINT null");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("amount STRUCT(\"value\" DECIMAL(12,2), currency ENUM("));
    }

    @Test
    void aHeavyQueryIsCancelledAtTheTimeoutAndTheEngineStillAnswers() throws Exception {
        HttpResponse<String> heavy = sql("admin", "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 1000000000000)"
                + " SELECT count(*) FROM t, sales.orders", null);
        assertThat(heavy.statusCode()).as(heavy.body()).isEqualTo(408);
        assertThat(heavy.body()).contains("catalog.sql.timeout");
        assertThat(rows("admin", "SELECT count(*) >= 0 FROM sales.orders").get(0).get(0).asBoolean()).isTrue();
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private void order(String id, String channel, String total) throws Exception {
        post("sales", "/products/orders-v2", "{\"orderId\":\"" + id + "\",\"customerId\":\"c-" + id + "\",\"channel\":\"" + channel
                + "\",\"amount\":{\"value\":" + total + ",\"currency\":\"EUR\"},\"lines\":[{\"sku\":\"mug\",\"quantity\":1,\"unitPrice\":"
                + total + "}]}");
    }

    private void pay(String orderId, String kind, String amount) throws Exception {
        post("finance", "/products/payments", "{\"orderId\":\"" + orderId + "\",\"kind\":\"" + kind + "\",\"amount\":" + amount
                + ",\"currency\":\"EUR\"}");
    }

    private void customer(String id, String name, String country) throws Exception {
        post("sales", "/products/customers", "{\"customerId\":\"" + id + "\",\"name\":\"" + name + "\",\"email\":\""
                + name.split(" ")[0].toLowerCase() + "@example.com\",\"country\":\"" + country + "\"}");
    }

    private void post(String service, String path, String body) throws Exception {
        String domain = service;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(mesh.url(service) + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", credentials(domain).basicAuth())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + body + ": " + r.body()).isEqualTo(202);
    }

    private HttpResponse<String> sql(String user, String query, Instant asOf) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("sql", query);
        if (asOf != null) {
            body.put("asOf", asOf.toString());
        }
        return send(user, "POST", "/api/sql", body.toString());
    }

    private JsonNode ok(String user, String query) throws Exception {
        HttpResponse<String> r = sql(user, query, null);
        assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private List<List<JsonNode>> rows(String user, String query) {
        return rows(user, query, null);
    }

    private List<List<JsonNode>> rows(String user, String query, Instant asOf) {
        try {
            HttpResponse<String> r = sql(user, query, asOf);
            assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(200);
            List<List<JsonNode>> out = new ArrayList<>();
            for (JsonNode row : JSON.readTree(r.body()).path("rows")) {
                List<JsonNode> cells = new ArrayList<>();
                row.forEach(cells::add);
                out.add(cells);
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(String user, String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + catalog.getPort() + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", credentials(user).basicAuth())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private MeshCredentials credentials(String user) {
        return mesh.credentials().flatMap(store -> store.find(user)).orElseThrow();
    }

    /** The record's value as a raw Kafka client (not the SDK) receives it, as text. */
    private String rawValue(String topic, String key) {
        Map<String, Object> c = kafka("sales");
        c.put("auto.offset.reset", "earliest");
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(c,
                new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            String[] found = new String[1];
            Await.until(Duration.ofSeconds(30), key + " in " + topic, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key()) && r.value() != null) {
                        found[0] = new String(r.value(), java.nio.charset.StandardCharsets.ISO_8859_1);
                    }
                });
                return found[0] != null;
            });
            return found[0];
        }
    }

    private Map<String, Object> kafka(String user) {
        Map<String, Object> p = new HashMap<>(credentials(user).kafkaProperties());
        p.put("bootstrap.servers", mesh.bootstrapServers());
        return p;
    }
}
