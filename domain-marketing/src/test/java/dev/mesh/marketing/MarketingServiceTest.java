package dev.mesh.marketing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.registry.EmbeddedRegistry;
import dev.mesh.schemas.FinanceProducts;
import dev.mesh.schemas.MarketingProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.finance.ordersettlements.v1.Settlement;
import dev.mesh.schemas.finance.ordersettlements.v1.SettlementStatus;
import dev.mesh.schemas.sales.orders.v1.Currency;
import dev.mesh.schemas.sales.orders.v1.Order;
import dev.mesh.schemas.sales.orders.v1.OrderLine;
import dev.mesh.schemas.sales.orders.v1.SalesChannel;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Publisher;
import dev.mesh.service.DomainService;
import dev.mesh.testkit.Await;
import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.OddBodies;
import dev.mesh.testkit.TestKafka;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The service against a real broker and the real registry, with sales and finance played by the test. */
@ExtendWith(KafkaExtension.class)
class MarketingServiceTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path stateDir;
    private static EmbeddedRegistry registry;
    private static EmbeddedServer server;
    private static HttpClient client;
    private static Mesh upstream;
    private static String kafkaBootstrap;

    @BeforeAll
    static void start(TestKafka kafka) {
        kafkaBootstrap = kafka.bootstrapServers();
        registry = EmbeddedRegistry.start(kafka.bootstrapServers());
        server = DomainService.start(MarketingDomain.ENV, Map.of(
                "micronaut.server.port", -1,
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "schema.registry.url", registry.url(),
                "mesh.provision", "apply",
                "mesh.app", TestKafka.uniqueName("domain-marketing"),
                "mesh.streams.state.dir", stateDir.toString(),
                "mesh.streams.commit.interval.ms", 100));
        client = HttpClient.create(server.getURL());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void reportsKafkaTheRegistryAndBothStreamsAppsAsUp() {
        // UP, or DEGRADED once another test here wrote a touch marketing's own contract refuses: both serve
        Await.until(PATIENCE, "/health serving with both streams apps running", () -> {
            JsonNode health = health();
            JsonNode apps = health.path("details").path("mesh").path("details").path("streams");
            return List.of("UP", "DEGRADED").contains(health.path("status").asText())
                    && List.of(MarketingProducts.CAMPAIGN_ATTRIBUTION, MarketingProducts.CAMPAIGN_PERFORMANCE).stream()
                    .allMatch(p -> apps.path(p.applicationId()).path("state").asText().equals("RUNNING"));
        });
        JsonNode mesh = health().path("details").path("mesh").path("details");
        assertThat(mesh.path("kafka").path("status").asText()).isEqualTo("UP");
        assertThat(mesh.path("registry").path("status").asText()).isEqualTo("UP");
        assertThat(server.getApplicationContext().getProperty("micronaut.application.name", String.class))
                .contains("domain-marketing");
    }

    @Test
    void acceptsACampaign() {
        HttpResponse<String> response = post("/campaigns", """
                {"name": "Spring newsletter", "channel": "email", "budget": "2500.00", "currency": "EUR",
                 "startsAt": "2026-03-01T00:00:00Z", "endsAt": "2026-04-01T00:00:00Z"}""");

        assertThat(response.code()).isEqualTo(202);
        JsonNode body = json(response.body());
        assertThat(body.path("id").asText()).startsWith("cmp-");
        assertThat(body.path("topic").asText()).isEqualTo("marketing.campaigns.v1");
        assertThat(body.path("offset").isIntegralNumber()).isTrue();
        assertThat(body.path("offset").asLong()).isNotNegative();
    }

    @Test
    void refusesATouchNamingEveryInvalidField() {
        HttpClientResponseException e = catchThrowableOfType(HttpClientResponseException.class, () -> post("/touches",
                """
                {"customerId": 7, "kind": "SMS", "occurredAt": "yesterday"}"""));

        assertThat(e.getStatus().getCode()).isEqualTo(400);
        assertThat(invalidFields(e))
                .containsExactlyInAnyOrder("customerId", "campaignId", "kind", "occurredAt");
    }

    @Test
    void refusesACampaignWithoutSchedule() {
        HttpClientResponseException e = catchThrowableOfType(HttpClientResponseException.class, () -> post("/campaigns",
                """
                {"name": "x", "channel": "EMAIL", "budget": -5, "currency": "EUR", "startsAt": 3}"""));

        assertThat(e.getStatus().getCode()).isEqualTo(400);
        // a negative budget fits the schema: the contract's rule positive-budget refuses it (422) once the rest is valid
        assertThat(invalidFields(e))
                .containsExactlyInAnyOrder("startsAt", "endsAt");
    }

    @Test
    void oddBodiesAreRefusedNamingTheFieldAndNothingIsPublished(TestKafka kafka) {
        List<String> topics = List.of("marketing.campaign-touches.v1", "marketing.campaign-touches.v1.dlq",
                "marketing.campaigns.v1", "marketing.campaigns.v1.dlq");
        long before = topics.stream().mapToLong(kafka::endOffsets).sum();
        OddBodies.assertRefused(server.getURL() + "/touches", OddBodies.from("""
                {"touchId": "t-odd", "customerId": "c-x", "campaignId": "cmp-x", "kind": "AD_CLICK"}""",
                "touchId", null, "occurredAt"));
        OddBodies.assertRefused(server.getURL() + "/campaigns", OddBodies.from("""
                {"campaignId": "cmp-odd", "name": "x", "channel": "EMAIL", "budget": 10, "currency": "EUR",
                 "startsAt": "2026-03-01T00:00:00Z", "endsAt": "2026-04-01T00:00:00Z"}""", "campaignId", "budget", null));
        assertThat(topics.stream().mapToLong(kafka::endOffsets).sum()).as("records written to %s", topics).isEqualTo(before);
    }

    /**
     * The touch of the issue that stalled attribution, written straight to the product topic (as a producer outside
     * the mesh could): attribution dead-letters it, stays healthy and goes on attributing.
     */
    @Test
    void aYearOneTouchWrittenStraightToTheTopicIsDeadLetteredAndAttributionGoesOn(TestKafka kafka) throws Exception {
        Await.until(PATIENCE, "attribution running", () -> health().path("details").path("mesh").path("details")
                .path("streams").path(MarketingProducts.CAMPAIGN_ATTRIBUTION.applicationId()).path("state").asText().equals("RUNNING"));
        String customerId = TestKafka.uniqueName("c-ancient");
        var contract = MarketingProducts.CAMPAIGN_TOUCHES.contract();
        var registryClient = dev.mesh.sdk.registry.RegistryClient.create(Map.of("schema.registry.url", registry.url()));
        var serializer = new dev.mesh.sdk.internal.serde.AvroSerializer<dev.mesh.schemas.marketing.campaigntouches.v1.Touch>(registryClient);
        try (var raw = new org.apache.kafka.clients.producer.KafkaProducer<>(kafka.producerProps(),
                new org.apache.kafka.common.serialization.StringSerializer(), serializer)) {
            raw.send(new org.apache.kafka.clients.producer.ProducerRecord<>(contract.topicName(), customerId,
                    new dev.mesh.schemas.marketing.campaigntouches.v1.Touch("t-ancient", customerId, "cmp-x",
                            dev.mesh.schemas.marketing.campaigntouches.v1.TouchKind.AD_CLICK,
                            Instant.parse("0001-01-01T00:00:00Z")))).get();
        }
        String dlq = dev.mesh.sdk.contract.Naming.streamsDlqTopic(MarketingProducts.CAMPAIGN_ATTRIBUTION.applicationId());
        var props = kafka.consumerProps();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(dlq));
            var dead = Await.value(PATIENCE, "the year-1 touch in " + dlq + " (read_committed)", () -> {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (customerId.equals(r.key())) {
                        return Optional.of(r);
                    }
                }
                return Optional.empty();
            });
            assertThat(dev.mesh.sdk.internal.publish.DeadLetters.header(dead.headers(), dev.mesh.sdk.internal.publish.DeadLetters.ORIGIN_TOPIC))
                    .isEqualTo(contract.topicName());
            assertThat(dev.mesh.sdk.internal.publish.DeadLetters.header(dead.headers(), dev.mesh.sdk.internal.publish.DeadLetters.DLQ_REASON))
                    .hasSizeLessThanOrEqualTo(300);
        }
        JsonNode app = health().path("details").path("mesh").path("details").path("streams").path(MarketingProducts.CAMPAIGN_ATTRIBUTION.applicationId());
        assertThat(app.path("state").asText()).isEqualTo("RUNNING");
        // no thread died, but marketing wrote a touch its own contract refuses: the app says so
        assertThat(app.path("status").asText()).as("no thread died: %s", app).isEqualTo("DEGRADED");
        assertThat(app.path("integrity").asText()).contains("marketing.campaign-touches.v1", "event-time");
        assertThat(app.path("deadLettered").asLong()).isPositive();
        // and at intake the same touch is refused, naming the field
        HttpClientResponseException refused = catchThrowableOfType(HttpClientResponseException.class, () -> post("/touches",
                """
                {"customerId": "c-x", "campaignId": "cmp-x", "kind": "AD_CLICK", "occurredAt": "0001-01-01T00:00:00Z"}"""));
        assertThat(refused.getStatus().getCode()).isEqualTo(400);
        assertThat(invalidFields(refused)).containsExactly("occurredAt");
    }

    /** Sales and finance come up after marketing here: the apps wait for their input products to appear. */
    @Test
    void attributesAnOrderToALateTouchAndReportsTheCampaignsPerformance() throws Exception {
        String campaignId = TestKafka.uniqueName("cmp-it");
        String customerId = TestKafka.uniqueName("c-it");
        String orderId = TestKafka.uniqueName("o-it");
        Instant placedAt = Instant.now();
        upstream = Mesh.connect(Map.of("bootstrap.servers", kafkaBootstrap, "schema.registry.url", registry.url(),
                "mesh.app", TestKafka.uniqueName("upstream"), "mesh.provision", "apply"));
        try (Publisher<Order> orders = upstream.publisher(SalesProducts.ORDERS);
             Publisher<Settlement> settlements = upstream.publisher(FinanceProducts.ORDER_SETTLEMENTS)) {
            assertThat(post("/campaigns", """
                    {"campaignId": "%s", "name": "Brand search", "channel": "SEARCH", "budget": 1000, "currency": "EUR",
                     "startsAt": "2026-01-01T00:00:00Z", "endsAt": "2027-01-01T00:00:00Z"}""".formatted(campaignId)).code())
                    .isEqualTo(202);
            BigDecimal total = new BigDecimal("120.00");
            orders.publish(new Order(orderId, customerId, Currency.EUR, total,
                    List.of(new OrderLine("sku-lamp", 1, total)), SalesChannel.WEB, placedAt)).get();
            settlements.publish(new Settlement(orderId, customerId,
                    dev.mesh.schemas.finance.ordersettlements.v1.Currency.EUR, total, total, BigDecimal.ZERO.setScale(2), total,
                    SettlementStatus.PAID, 1, placedAt, placedAt)).get();
            // the touch that explains the order arrives after it
            assertThat(post("/touches", """
                    {"customerId": "%s", "campaignId": "%s", "kind": "AD_CLICK", "occurredAt": "%s"}"""
                    .formatted(customerId, campaignId, placedAt.minus(Duration.ofHours(2)))).code())
                    .isEqualTo(202);

            JsonNode performance = Await.value(PATIENCE, "performance of " + campaignId + " with its order paid",
                    () -> performance(campaignId).filter(p -> p.path("attributedOrders").asInt() == 1
                            && new BigDecimal(p.path("paidRevenue").asText("0")).compareTo(total) == 0));
            assertThat(performance.path("name").asText()).isEqualTo("Brand search");
            assertThat(new BigDecimal(performance.path("attributedRevenue").asText())).isEqualByComparingTo("120.00");
            assertThat(performance.path("returnOnAdSpend").asDouble()).isEqualTo(0.12);
        }

        HttpClientResponseException unknown = catchThrowableOfType(HttpClientResponseException.class,
                () -> client.toBlocking().exchange(HttpRequest.GET("/campaigns/no-such-campaign/performance"), String.class));
        assertThat(unknown.getStatus().getCode()).isEqualTo(404);
    }

    private static Optional<JsonNode> performance(String campaignId) {
        try {
            return Optional.of(json(client.toBlocking().retrieve(HttpRequest.GET("/campaigns/" + campaignId + "/performance"))));
        } catch (HttpClientResponseException e) {
            // 503 while the app starts, 404 until the campaign's record is there
            return Optional.empty();
        }
    }

    private static HttpResponse<String> post(String path, String body) {
        return client.toBlocking().exchange(HttpRequest.POST(path, body).contentType(MediaType.APPLICATION_JSON_TYPE), String.class);
    }

    private static List<String> invalidFields(HttpClientResponseException e) {
        List<String> fields = new ArrayList<>();
        json(e.getResponse().getBody(String.class).orElseThrow()).path("fields").forEach(f -> fields.add(f.path("field").asText()));
        return fields;
    }

    private static JsonNode health() {
        try {
            return json(client.toBlocking().retrieve(HttpRequest.GET("/health")));
        } catch (HttpClientResponseException e) {
            return json(e.getResponse().getBody(String.class).orElse("{}"));
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
