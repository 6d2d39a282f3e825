package dev.mesh.finance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.registry.EmbeddedRegistry;
import dev.mesh.schemas.FinanceProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.finance.ordersettlements.v1.Settlement;
import dev.mesh.schemas.sales.orders.v2.Currency;
import dev.mesh.schemas.sales.returns.v1.Reason;
import dev.mesh.schemas.sales.returns.v1.Return;
import dev.mesh.schemas.sales.orders.v2.Order;
import dev.mesh.schemas.sales.orders.v2.OrderLine;
import dev.mesh.schemas.sales.orders.v2.SalesChannel;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.internal.serde.AvroDeserializer;
import dev.mesh.testkit.Await;
import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.OddBodies;
import dev.mesh.testkit.TestKafka;
import dev.mesh.service.DomainService;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The finance service on a real broker and registry: HTTP intake, the settlements app, and a restart mid-way. */
@ExtendWith(KafkaExtension.class)
class FinanceServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void paymentsThroughHttpSettleEveryOrderExactlyAcrossARestart(TestKafka kafka, @TempDir Path state) throws Exception {
        int n = 12;
        String run = TestKafka.uniqueName("run");
        // a day of this run's own, so finance.refund-rate's record for it counts only these orders
        Instant placedAt = Instant.parse("2001-01-01T12:00:00Z").plus(Duration.ofDays(ThreadLocalRandom.current().nextInt(8_000)));
        try (EmbeddedRegistry registry = EmbeddedRegistry.start(kafka.bootstrapServers())) {
            Map<String, Object> config = Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "schema.registry.url", registry.url(), Mesh.APP, "finance-test-orders", Mesh.PROVISION, "apply");
            try (Mesh mesh = Mesh.connect(config);
                 Publisher<Order> orders = mesh.publisher(SalesProducts.ORDERS_V2)) {
                for (int i = 0; i < n; i++) {
                    orders.publish(order(run + "-o" + i, "40.00", placedAt)).get(30, TimeUnit.SECONDS);
                }
            }

            EmbeddedServer finance = start(kafka, registry, state);
            String base = finance.getURL().toString();
            JsonNode health = get(base + "/health").json;
            assertThat(health.at("/details/mesh/details/streams").toString())
                    .contains(FinanceProducts.ORDER_SETTLEMENTS.applicationId(), FinanceProducts.REVENUE_DAILY.applicationId(),
                            FinanceProducts.REFUND_RATE.applicationId());

            // first half: full captures, one duplicate delivery
            for (int i = 0; i < n / 2; i++) {
                assertThat(postPayment(base, run + "-p" + i, run + "-o" + i, "CAPTURED", "40.00").status).isEqualTo(202);
            }
            assertThat(postPayment(base, run + "-p0", run + "-o0", "CAPTURED", "40.00").status).isEqualTo(202);
            awaitStatus(base, run + "-o" + (n / 2 - 1), "PAID");

            finance.getApplicationContext().close();
            finance = start(kafka, registry, state);
            base = finance.getURL().toString();

            // second half after the restart: partial payments, one refund of a first-half order
            for (int i = n / 2; i < n; i++) {
                assertThat(postPayment(base, run + "-p" + i, run + "-o" + i, "CAPTURED", "15.00").status).isEqualTo(202);
            }
            assertThat(postPayment(base, run + "-r1", run + "-o1", "REFUNDED", "40.00").status).isEqualTo(202);
            awaitStatus(base, run + "-o1", "REFUNDED");
            for (int i = n / 2; i < n; i++) {
                awaitStatus(base, run + "-o" + i, "PARTIALLY_PAID");
            }
            JsonNode o0 = get(base + "/settlements/" + run + "-o0").json;
            assertThat(o0.get("paymentCount").asInt()).as("duplicate counted once").isEqualTo(1);
            assertThat(o0.get("netAmount").decimalValue()).isEqualByComparingTo("40.00");
            assertThat(get(base + "/settlements/nope").status).isEqualTo(404);

            Map<String, Settlement> latest = readSettlements(kafka, registry, run, n);
            assertThat(latest).hasSize(n);
            BigDecimal totalNet = latest.values().stream().map(Settlement::getNetAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
            // 6 x 40 paid, one of them refunded, 6 x 15 partial
            assertThat(totalNet).isEqualByComparingTo(new BigDecimal("290.00"));

            // the derived products by key at /products/<name>/<key>, finance.refund-rate among them (no code of its own)
            assertThat(get(base + "/products/order-settlements/" + run + "-o0").json).isEqualTo(o0);
            try (Mesh mesh = Mesh.connect(config); Publisher<Return> returns = mesh.publisher(SalesProducts.RETURNS)) {
                returns.publish(new Return(run + "-ret", run + "-o2", dev.mesh.schemas.sales.returns.v1.Currency.EUR,
                        new BigDecimal("40.00"), Reason.DAMAGED, Instant.now())).get(30, TimeUnit.SECONDS);
            }
            String rateUrl = base + "/products/refund-rate/EUR%7C" + placedAt.toString().substring(0, 10);
            Await.until(Duration.ofSeconds(60), "the return in " + rateUrl, () -> {
                Reply rate = get(rateUrl);
                return rate.status == 200 && rate.json.get("refundedOrders").asLong() == 1 && rate.json.get("paidOrders").asLong() == n - 1;
            });
            JsonNode rate = get(rateUrl).json;
            assertThat(rate.get("refundedAmount").decimalValue()).isEqualByComparingTo("40.00");
            assertThat(rate.get("refundRate").asDouble()).isEqualTo(1.0 / (n - 1));
            assertThat(get(base + "/products/nothing/x").status).isEqualTo(404);
            finance.getApplicationContext().close();
        }
    }

    @Test
    void invalidPaymentsAreRefusedNamingEveryField(TestKafka kafka, @TempDir Path state) throws Exception {
        try (EmbeddedRegistry registry = EmbeddedRegistry.start(kafka.bootstrapServers())) {
            EmbeddedServer finance = start(kafka, registry, state);
            try {
                Reply r = post(finance.getURL() + "/payments", "{\"kind\":\"STOLEN\",\"amount\":-3,\"currency\":\"XYZ\"}");
                assertThat(r.status).isEqualTo(400);
                assertThat(r.json.get("fields").toString()).contains("orderId", "is required", "kind", "STOLEN",
                        "currency", "XYZ").doesNotContain("\"amount\"");
                assertThat(post(finance.getURL() + "/payments", "{not json").status).isEqualTo(400);
                List<String> topics = List.of("finance.payments.v1", "finance.payments.v1.dlq");
                long before = topics.stream().mapToLong(kafka::endOffsets).sum();
                OddBodies.assertRefused(finance.getURL() + "/payments", OddBodies.from("""
                        {"paymentId": "p-odd", "orderId": "o-1", "kind": "CAPTURED", "amount": 19.98, "currency": "EUR"}""",
                        "paymentId", "amount", "occurredAt"));
                assertThat(topics.stream().mapToLong(kafka::endOffsets).sum()).as("records written to %s", topics).isEqualTo(before);
            } finally {
                finance.getApplicationContext().close();
            }
        }
    }

    private static EmbeddedServer start(TestKafka kafka, EmbeddedRegistry registry, Path state) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        props.put("schema.registry.url", registry.url());
        props.put(Mesh.PROVISION, "apply");
        props.put("mesh.streams.state.dir", state.toString());
        props.put("mesh.streams.commit.interval.ms", 100);
        return DomainService.start(FinanceDomain.ENV, props);
    }

    private void awaitStatus(String base, String orderId, String status) {
        Await.until(Duration.ofSeconds(60), orderId + " " + status, () -> {
            Reply r = get(base + "/settlements/" + orderId);
            return r.status == 200 && status.equals(r.json.get("status").asText());
        });
    }

    private static Map<String, Settlement> readSettlements(TestKafka kafka, EmbeddedRegistry registry, String run, int n) {
        Map<String, Settlement> latest = new HashMap<>();
        var decode = new AvroDeserializer<>(dev.mesh.sdk.registry.RegistryClient.create(
                Map.of("schema.registry.url", registry.url())), Settlement.class);
        try (var consumer = new KafkaConsumer<>(kafka.consumerProps(), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("finance.order-settlements.v1"));
            Await.until(Duration.ofSeconds(60), n + " settled orders of " + run, () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key().startsWith(run)) {
                        latest.put(r.key(), decode.deserialize(r.topic(), r.value()));
                    }
                }
                return latest.size() == n && latest.values().stream().noneMatch(s -> s.getStatus().name().equals("AWAITING_PAYMENT"))
                        && latest.get(run + "-o1").getStatus().name().equals("REFUNDED");
            });
        }
        return latest;
    }

    private static Order order(String id, String total, Instant placedAt) {
        return new Order(id, "c-" + id, new dev.mesh.schemas.sales.orders.v2.Money(new BigDecimal(total), Currency.EUR),
                List.of(new OrderLine("sku-1", 1, new BigDecimal(total))), SalesChannel.WEB, placedAt);
    }

    private Reply postPayment(String base, String paymentId, String orderId, String kind, String amount) {
        return post(base + "/payments", "{\"paymentId\":\"" + paymentId + "\",\"orderId\":\"" + orderId + "\",\"kind\":\""
                + kind + "\",\"amount\":" + amount + ",\"currency\":\"EUR\"}");
    }

    record Reply(int status, JsonNode json) {
    }

    private Reply get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    private Reply post(String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
            return new Reply(r.statusCode(), json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
