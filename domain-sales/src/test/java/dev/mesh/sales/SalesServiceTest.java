package dev.mesh.sales;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.registry.EmbeddedRegistry;
import dev.mesh.schemas.sales.orders.v1.Order;
import dev.mesh.schemas.sales.returns.v1.Return;
import dev.mesh.sdk.internal.publish.DeadLetters;
import dev.mesh.sdk.registry.RegistryClient;
import dev.mesh.sdk.internal.serde.AvroDeserializer;
import dev.mesh.service.DomainService;
import dev.mesh.testkit.Await;
import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.OddBodies;
import dev.mesh.testkit.TestKafka;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The sales service on a real broker and registry, over HTTP. */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SalesServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private TestKafka kafka;
    private EmbeddedRegistry registry;
    private EmbeddedServer sales;

    @BeforeAll
    void start(TestKafka kafka) {
        this.kafka = kafka;
        registry = EmbeddedRegistry.start(kafka.bootstrapServers());
        sales = DomainService.start(SalesDomain.ENV, Map.of("micronaut.server.port", -1,
                "kafka.bootstrap.servers", kafka.bootstrapServers(), "schema.registry.url", registry.url(), "mesh.provision", "apply"));
    }

    @AfterAll
    void stop() {
        sales.getApplicationContext().close();
        registry.close();
    }

    @Test
    void anOrderIsAcceptedWithWhereItLandedAndReadsBackAsTheProduct() {
        String orderId = TestKafka.uniqueName("o");
        Reply r = post("/orders", "{\"orderId\":\"" + orderId + "\",\"customerId\":\"c-1\",\"currency\":\"EUR\",\"totalAmount\":19.98,"
                + "\"lines\":[{\"sku\":\"sku-mug\",\"quantity\":2,\"unitPrice\":\"9.99\"}]}");
        assertThat(r.status).isEqualTo(202);
        assertThat(r.json.get("id").asText()).isEqualTo(orderId);
        assertThat(r.json.get("topic").asText()).as("a v1 body is upgraded to the major sales publishes").isEqualTo("sales.orders.v2");
        assertThat(r.json.get("offset").asLong()).isGreaterThanOrEqualTo(0);

        dev.mesh.schemas.sales.orders.v2.Order upgraded = readOne("sales.orders.v2", orderId, dev.mesh.schemas.sales.orders.v2.Order.class);
        assertThat(upgraded.getAmount().getValue()).isEqualByComparingTo("19.98");
        assertThat(upgraded.getAmount().getCurrency().name()).isEqualTo("EUR");
        Order order = readOne("sales.orders.v1", orderId, Order.class);
        assertThat(order.getTotalAmount()).as("v1 fed back by the migration bridge").isEqualByComparingTo("19.98");
        assertThat(order.getCurrency().name()).isEqualTo("EUR");
        assertThat(order.getLines()).hasSize(1);
    }

    @Test
    void aV2OrderIsAcceptedAsItIsAndReachesV1Downgraded() {
        String orderId = TestKafka.uniqueName("o");
        Reply r = post("/products/orders-v2", "{\"orderId\":\"" + orderId + "\",\"customerId\":\"c-2\","
                + "\"amount\":{\"value\":\"7.50\",\"currency\":\"GBP\"},\"lines\":[{\"sku\":\"sku-pen\",\"quantity\":3,\"unitPrice\":2.5}]}");
        assertThat(r.status).isEqualTo(202);
        assertThat(r.json.get("topic").asText()).isEqualTo("sales.orders.v2");
        Order order = readOne("sales.orders.v1", orderId, Order.class);
        assertThat(order.getTotalAmount()).isEqualByComparingTo("7.50");
        assertThat(order.getCurrency().name()).isEqualTo("GBP");
        assertThat(order.getCustomerId()).isEqualTo("c-2");
        Reply health = get("/health");
        assertThat(health.json.at("/details/mesh/details/streams").toString()).as("the bridge's app").contains("sales-orders");
    }

    /** sales.returns has no code in the service: its intake comes from its schema and contract. */
    @Test
    void aProductWithNoCodeIsAcceptedAtProductsSlashItsNameFillingWhatTheContractSays() {
        String orderId = TestKafka.uniqueName("o");
        Reply r = post("/products/returns", "{\"orderId\":\"" + orderId + "\",\"currency\":\"EUR\",\"refundAmount\":12.5,"
                + "\"reason\":\"DAMAGED\"}");
        assertThat(r.status).isEqualTo(202);
        assertThat(r.json.get("topic").asText()).isEqualTo("sales.returns.v1");
        String returnId = r.json.get("id").asText();
        assertThat(returnId).as("filled by the contract's r-{uuid}").matches("r-[0-9a-f-]{36}");

        Return back = readOne("sales.returns.v1", returnId, Return.class);
        assertThat(back.getOrderId()).isEqualTo(orderId);
        assertThat(back.getRefundAmount()).isEqualByComparingTo("12.50");
        assertThat(back.getReturnedAt()).as("filled by {now}").isBetween(Instant.now().minusSeconds(60), Instant.now());

        assertThat(post("/products/orders", "{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"totalAmount\":5,"
                + "\"lines\":[{\"sku\":\"s\",\"quantity\":1,\"unitPrice\":5}]}").status).as("the old products too").isEqualTo(202);
        Reply unknown = post("/products/refunds%07", "{}");
        assertThat(unknown.status).isEqualTo(404);
        assertThat(unknown.json.get("error").asText()).contains("no source product 'refunds' in sales",
                "/products/customers", "/products/orders", "/products/returns");
        assertThat(post("/products/returns", "{\"orderId\":\"o-1\",\"currency\":\"EUR\",\"refundAmount\":0,"
                + "\"reason\":\"DAMAGED\"}").json.get("rule").asText()).as("the contract's rule").isEqualTo("positive-refund");
    }

    /** With generator.rate on, sales.returns gets demo traffic drawn from its schema, each return for a real order. */
    @Test
    void returnsAreGeneratedFromTheSchemaFollowingRecentOrders() {
        EmbeddedServer generating = DomainService.start(SalesDomain.ENV, Map.of("micronaut.server.port", -1,
                "kafka.bootstrap.servers", kafka.bootstrapServers(), "schema.registry.url", registry.url(), "generator.rate", 50, "mesh.provision", "apply"));
        try (var consumer = new KafkaConsumer<>(kafka.consumerProps(), new StringDeserializer(), new ByteArrayDeserializer())) {
            var decode = new AvroDeserializer<>(RegistryClient.create(Map.of("schema.registry.url", registry.url())), Return.class);
            List<String> orderIds = new ArrayList<>();
            try (var orders = new KafkaConsumer<>(kafka.consumerProps(), new StringDeserializer(), new ByteArrayDeserializer())) {
                orders.subscribe(List.of("sales.orders.v2"));
                consumer.subscribe(List.of("sales.returns.v1"));
                List<Return> returns = new ArrayList<>();
                // a return drawn from the schema alone would carry a random orderId: these follow published orders
                java.util.function.Supplier<List<Return>> following = () -> returns.stream()
                        .filter(r -> orderIds.contains(r.getOrderId())).toList();
                Await.until(Duration.ofSeconds(60), "5 generated returns of published orders", () -> {
                    orders.poll(Duration.ofMillis(100)).forEach(o -> orderIds.add(o.key()));
                    consumer.poll(Duration.ofMillis(100)).forEach(r -> returns.add(decode.deserialize(r.topic(), r.value())));
                    return following.get().size() >= 5;
                });
                assertThat(following.get()).allSatisfy(g -> {
                    assertThat(g.getRefundAmount()).as("keeps the rule positive-refund").isPositive();
                    assertThat(g.getReturnedAt()).isBefore(Instant.now().plusSeconds(1));
                });
            }
        } finally {
            generating.getApplicationContext().close();
        }
    }

    @Test
    void oddBodiesAreRefusedNamingTheFieldAndNothingIsPublished() {
        List<String> topics = List.of("sales.orders.v1", "sales.orders.v1.dlq", "sales.orders.v2", "sales.orders.v2.dlq", "sales.customers.v1", "sales.customers.v1.dlq");
        long before = topics.stream().mapToLong(kafka::endOffsets).sum();
        OddBodies.assertRefused(sales.getURL() + "/orders", OddBodies.from("""
                {"orderId": "o-odd", "customerId": "c-1", "currency": "EUR", "totalAmount": 19.98,
                 "lines": [{"sku": "mug", "quantity": 2, "unitPrice": 9.99}]}""", "orderId", "totalAmount", "placedAt"));
        OddBodies.assertRefused(sales.getURL() + "/customers", OddBodies.from("""
                {"customerId": "c-odd", "name": "Ann", "email": "ann@example.com", "country": "DE"}""",
                "customerId", null, "signedUpAt"));
        assertThat(topics.stream().mapToLong(kafka::endOffsets).sum()).as("records written to %s", topics).isEqualTo(before);
    }

    /** 2,000 seeded random mutations of a valid order: each is accepted or refused, none answers 5xx or nothing. */
    @Test
    void aFuzzRunOfOrdersNeverAnswersAServerError() {
        var statuses = OddBodies.statuses(sales.getURL() + "/orders", OddBodies.fuzz("""
                {"customerId": "c-fuzz", "currency": "EUR", "totalAmount": 19.98,
                 "lines": [{"sku": "mug", "quantity": 2, "unitPrice": 9.99}], "placedAt": "2026-11-30T10:00:00Z"}""",
                20261201L, 2_000));
        assertThat(statuses.keySet()).as("statuses of 2,000 fuzzed orders: %s", statuses).isSubsetOf(202, 400, 413, 422);
        assertThat(statuses).as("some fuzzed orders are still valid, most are not").containsKeys(202, 400);
    }

    @Test
    void everyInvalidFieldIsNamed() {
        Reply r = post("/orders", "{\"customerId\":7,\"currency\":\"XXX\",\"totalAmount\":-5,"
                + "\"lines\":[{\"sku\":\"\",\"quantity\":0,\"unitPrice\":\"abc\"}]}");
        assertThat(r.status).isEqualTo(400);
        String fields = r.json.get("fields").toString();
        assertThat(fields).contains("\"customerId\"", "must be a string", "\"currency\"", "must be one of [EUR, USD, GBP]",
                "lines[0].unitPrice", "must be a number");
        // a negative total and a zero quantity fit the schema: the contract's rules refuse them (422), not the intake
        assertThat(fields).doesNotContain("totalAmount", "lines[0].quantity");
        assertThat(post("/customers", "{}").json.get("fields").toString()).contains("name", "email", "country");
        assertThat(post("/orders", "[1,2]").status).isEqualTo(400);
    }

    @Test
    void aRuleFailureAnswers422NamingTheRuleAndTheRecordIsDeadLettered() {
        String customerId = TestKafka.uniqueName("c");
        Reply r = post("/customers", "{\"customerId\":\"" + customerId + "\",\"name\":\"Ann\",\"email\":\"no-at-sign\",\"country\":\"DE\"}");
        assertThat(r.status).isEqualTo(422);
        assertThat(r.json.get("rule").asText()).isEqualTo("email-shape");
        assertThat(r.json.get("deadLettered").asBoolean()).isTrue();
        ConsumerRecord<String, byte[]> dead = read("sales.customers.v1.dlq", customerId);
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.RULE_NAME)).isEqualTo("email-shape");
    }

    @Test
    void theGeneratorIsOffUnlessARateIsGiven() {
        assertThat(sales.getApplicationContext().containsBean(SalesGenerator.class)).isFalse();
        for (Object rate : List.of(0.0, "2")) {
            EmbeddedServer other = DomainService.start(SalesDomain.ENV, Map.of("micronaut.server.port", -1,
                    "kafka.bootstrap.servers", kafka.bootstrapServers(), "schema.registry.url", registry.url(), "generator.rate", rate, "mesh.provision", "apply"));
            try {
                assertThat(other.getApplicationContext().containsBean(SalesGenerator.class)).as("generator at rate " + rate)
                        .isEqualTo(!rate.equals(0.0));
            } finally {
                other.getApplicationContext().close();
            }
        }
    }

    @Test
    void healthReportsKafkaAndTheRegistryAndMetricsArePrometheus() {
        Reply health = get("/health");
        assertThat(health.status).isEqualTo(200);
        assertThat(health.json.at("/details/mesh/details/kafka/status").asText()).isEqualTo("UP");
        assertThat(health.json.at("/details/mesh/details/registry/status").asText()).isEqualTo("UP");
        post("/orders", "{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"totalAmount\":5,\"lines\":[{\"sku\":\"s\",\"quantity\":1,\"unitPrice\":5}]}");
        String metrics = getText("/prometheus");
        assertThat(metrics).contains("mesh_publisher_published_total{product=\"sales.orders\"");
    }

    private <T> T readOne(String topic, String key, Class<T> type) {
        ConsumerRecord<String, byte[]> r = read(topic, key);
        return new AvroDeserializer<>(RegistryClient.create(Map.of("schema.registry.url", registry.url())), type)
                .deserialize(topic, r.value());
    }

    private ConsumerRecord<String, byte[]> read(String topic, String key) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(kafka.consumerProps(), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            Await.until(Duration.ofSeconds(30), key + " in " + topic, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                });
                return !found.isEmpty();
            });
        }
        return found.get(0);
    }

    record Reply(int status, JsonNode json) {
    }

    private Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(sales.getURL() + path)).GET().build());
    }

    private String getText(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(sales.getURL() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private Reply post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(sales.getURL() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
