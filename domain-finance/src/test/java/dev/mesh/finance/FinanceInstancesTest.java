package dev.mesh.finance;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.registry.EmbeddedRegistry;
import dev.mesh.schemas.FinanceProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.sales.orders.v2.Currency;
import dev.mesh.schemas.sales.orders.v2.Money;
import dev.mesh.schemas.sales.orders.v2.Order;
import dev.mesh.schemas.sales.orders.v2.OrderLine;
import dev.mesh.schemas.sales.orders.v2.SalesChannel;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Publisher;
import dev.mesh.service.DomainService;
import dev.mesh.service.StreamsApps;
import dev.mesh.testkit.Await;
import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.TestKafka;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.streams.KafkaStreams;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two finance instances with the same settings share the settlements app's work; a lookup of any key on either
 * answers (from its own store, or by asking the instance that holds the key), and after one stops every key answers
 * through the survivor.
 */
@ExtendWith(KafkaExtension.class)
class FinanceInstancesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ORDERS = 24;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyKeyAnswersOnEitherInstanceAndThroughTheSurvivorAfterOneStops(TestKafka kafka, @TempDir Path stateA,
                                                                          @TempDir Path stateB) throws Exception {
        String run = TestKafka.uniqueName("inst");
        List<String> orderIds = new ArrayList<>();
        try (EmbeddedRegistry registry = EmbeddedRegistry.start(kafka.bootstrapServers())) {
            EmbeddedServer a = start(kafka, registry, stateA);
            EmbeddedServer b = start(kafka, registry, stateB);
            try {
                String app = FinanceProducts.ORDER_SETTLEMENTS.applicationId();
                Await.until(Duration.ofSeconds(90), "both instances holding some of " + app, () ->
                        activeTasks(a, app) > 0 && activeTasks(b, app) > 0);
                Await.until(Duration.ofSeconds(30), "each instance counting two instances (generators divide their rate by it)",
                        () -> instances(a) == 2 && instances(b) == 2);

                try (Mesh mesh = Mesh.connect(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                        "schema.registry.url", registry.url(), Mesh.APP, run, Mesh.PROVISION, "apply"));
                     Publisher<Order> orders = mesh.publisher(SalesProducts.ORDERS_V2)) {
                    for (int i = 0; i < ORDERS; i++) {
                        String id = run + "-o" + i;
                        orderIds.add(id);
                        orders.publish(new Order(id, "c-" + i, new Money(new BigDecimal("10.00"), Currency.EUR),
                                List.of(new OrderLine("sku-1", 1, new BigDecimal("10.00"))), SalesChannel.WEB, Instant.now()))
                                .get(30, TimeUnit.SECONDS);
                    }
                }
                for (String id : orderIds) {
                    assertThat(post(a.getURL() + "/payments", "{\"paymentId\":\"p-" + id + "\",\"orderId\":\"" + id
                            + "\",\"kind\":\"CAPTURED\",\"amount\":10.00,\"currency\":\"EUR\"}")).isEqualTo(202);
                }

                for (String id : orderIds) {
                    Await.until(Duration.ofSeconds(60), id + " paid, asked on the first instance",
                            () -> status(a, id).equals("PAID"));
                    assertThat(get(b, id).body()).as("the same record of %s on the second instance", id).isEqualTo(get(a, id).body());
                }
            } finally {
                b.getApplicationContext().close();
            }
            // every key through the survivor: 503 only while the group rebalances after the stop, never a 404
            String app = FinanceProducts.ORDER_SETTLEMENTS.applicationId();
            long stopped = System.nanoTime();
            java.util.Set<Integer> seen = new java.util.TreeSet<>();
            Await.until(Duration.ofSeconds(90), "the survivor alone in the group, answering every key", () -> {
                // one whole sweep of PAID answers from the survivor alone ends the window (a follow-up rebalance
                // may still answer 503 for a moment afterwards: that is the same window, counted in `seen` below)
                boolean all = true;
                for (String id : orderIds) {
                    HttpResponse<String> r = get(a, id);
                    seen.add(r.statusCode());
                    all &= r.statusCode() == 200 && r.body().contains("\"status\":\"PAID\"");
                }
                return all && clients(a, app) == 1;
            });
            System.out.printf("failover: every key answered by the survivor alone %d ms after the other instance stopped;"
                    + " statuses meanwhile %s%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped), seen);
            for (String id : orderIds) {
                seen.add(get(a, id).statusCode());
            }
            assertThat(seen).as("statuses during and after the failover: never a 404 for an existing key").isSubsetOf(200, 503);
            Await.until(Duration.ofSeconds(60), "the survivor counting itself alone", () -> instances(a) == 1);
            a.getApplicationContext().close();
        }
    }

    /** How many instances the app's group has, as this instance sees it. */
    private static int clients(EmbeddedServer server, String app) {
        return server.getApplicationContext().getBean(StreamsApps.class).app(app)
                .filter(s -> s.state() == KafkaStreams.State.RUNNING).map(s -> s.metadataForAllStreamsClients().size()).orElse(0);
    }

    private static int instances(EmbeddedServer server) {
        return server.getApplicationContext().getBean(StreamsApps.class).instances();
    }

    private static int activeTasks(EmbeddedServer server, String app) {
        return server.getApplicationContext().getBean(StreamsApps.class).app(app)
                .filter(s -> s.state() == KafkaStreams.State.RUNNING)
                .map(s -> s.metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum()).orElse(0);
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

    private String status(EmbeddedServer server, String orderId) {
        HttpResponse<String> r = get(server, orderId);
        if (r.statusCode() != 200) {
            return "HTTP " + r.statusCode();
        }
        try {
            return JSON.readTree(r.body()).path("status").asText();
        } catch (Exception e) {
            return "unreadable";
        }
    }

    private HttpResponse<String> get(EmbeddedServer server, String orderId) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/settlements/" + orderId))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private int post(String url, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
