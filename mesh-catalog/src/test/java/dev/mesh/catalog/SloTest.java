package dev.mesh.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.errors.RuleViolationException;
import dev.mesh.testkit.Await;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SLOs evaluated by the running catalog every 2 s against a product the test publishes: a stopped publisher breaches
 * freshness and alerts once (on {@code _mesh.alerts}, through the API, and to the owner's webhook, whose first call
 * fails and is tried again), a restarted one recovers once; a burst of dead letters breaches the dead-letter ratio,
 * and the ratio recovers once the burst leaves the window.
 */
@ExtendWith(RunningCatalog.Extension.class)
class SloTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String FRESHNESS = "freshness";
    private static final String DEAD_LETTERS = "deadLetterRatio";

    @Test
    void aStoppedPublisherBreachesFreshnessOnceAndRecoversOnce(RunningCatalog catalog) throws Exception {
        try (Mesh client = catalog.heartbeatClient();
             Publisher<GenericRecord> publisher = client.publisher(Product.of(RunningCatalog.heartbeat(), GenericRecord.class))) {
            Beats beats = new Beats(publisher);
            beats.start();
            Instant start = awaitState(catalog, FRESHNESS, "OK");

            beats.stop();
            awaitState(catalog, FRESHNESS, "BREACHED");
            JsonNode breach = Await.value(WAIT, "the breach's webhook call accepted", () -> calls(catalog, FRESHNESS, start).stream()
                    .filter(c -> c.accepted() && c.alert().path("to").asText().equals("BREACHED"))
                    .map(WebhookReceiver.Call::alert).findFirst());
            assertThat(breach.path("owner").asText()).isEqualTo("qa");
            assertThat(breach.path("contact").asText()).isEqualTo("qa-oncall@shop.example");
            assertThat(breach.path("topic").asText()).isEqualTo("qa.heartbeat.v1");
            assertThat(breach.path("objective").asDouble()).isEqualTo(4.0);
            assertThat(breach.path("value").asDouble()).isGreaterThan(4.0);

            beats.start();
            awaitState(catalog, FRESHNESS, "OK");
            Await.until(WAIT, "the recovery's webhook call accepted", () -> calls(catalog, FRESHNESS, start).stream()
                    .anyMatch(c -> c.accepted() && c.alert().path("to").asText().equals("OK")));
            awaitEvaluations(catalog, 2);
            beats.stop();

            List<JsonNode> changes = alerts(catalog, FRESHNESS, start);
            assertThat(changes.stream().filter(a -> a.path("to").asText().equals("BREACHED"))).as("alerts: %s", changes).hasSize(1);
            assertThat(changes.stream().filter(a -> a.path("to").asText().equals("OK"))).as("alerts: %s", changes).hasSize(1);
            List<WebhookReceiver.Call> calls = calls(catalog, FRESHNESS, start);
            assertThat(calls.stream().filter(WebhookReceiver.Call::accepted)).as("each alert accepted once: %s", calls).hasSize(changes.size());
            // a call tried again carries the same key, so a chat tool can drop repeats
            calls.stream().collect(java.util.stream.Collectors.groupingBy(WebhookReceiver.Call::key)).values()
                    .forEach(tries -> assertThat(tries.stream().filter(WebhookReceiver.Call::accepted)).hasSize(1));
            // the receiver refused qa's very first call: it was tried again, under the same key, and accepted
            List<WebhookReceiver.Call> all = catalog.webhook().calls();
            assertThat(all.get(0).accepted()).isFalse();
            assertThat(all.stream().filter(c -> c.key().equals(all.get(0).key()) && c.accepted())).hasSize(1);
        }
    }

    @Test
    void aBurstOfDeadLettersBreachesTheRatioUntilItLeavesTheWindow(RunningCatalog catalog) throws Exception {
        whileBeating(catalog, publisher -> {
            Instant start = awaitState(catalog, DEAD_LETTERS, "OK");
            for (int i = 0; i < 10; i++) {
                try {
                    publisher.publish(beat(publisher, false)).get(30, TimeUnit.SECONDS);
                    throw new AssertionError("a beat that is not ok was published");
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(RuleViolationException.class);
                }
            }
            awaitState(catalog, DEAD_LETTERS, "BREACHED");
            assertThat(objective(catalog, DEAD_LETTERS).path("current").path("value").asDouble()).isGreaterThan(0.1);
            awaitState(catalog, DEAD_LETTERS, "OK");
            List<JsonNode> changes = Await.value(WAIT, "the recovery alert", () -> {
                List<JsonNode> all = alerts(catalog, DEAD_LETTERS, start);
                return all.isEmpty() || !all.get(0).path("to").asText().equals("OK") ? Optional.empty() : Optional.of(all);
        });
        assertThat(changes.stream().filter(a -> a.path("to").asText().equals("BREACHED"))).as("alerts: %s", changes).hasSize(1);
        });
    }

    /**
     * A reader may write its own dead-letter queue of the product as it likes: the catalog shows those letters with the
     * product, but the owner's SLO (and its pager) judges only what the owner's own publisher refused.
     */
    @Test
    void deadLettersAReaderWritesDoNotBreachTheOwnersRatio(RunningCatalog catalog) throws Exception {
        whileBeating(catalog, publisher -> {
            awaitState(catalog, DEAD_LETTERS, "OK");
            long before = catalog.api("/api/ops/products/" + RunningCatalog.HEARTBEAT).path("deadLetters").asLong();
            String forged = RunningCatalog.heartbeat().topicName() + ".finance-forged-"
                    + UUID.randomUUID().toString().substring(0, 8) + ".dlq";
            try (var reader = new org.apache.kafka.clients.producer.KafkaProducer<>(catalog.clientConfig("admin"),
                    new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                for (int i = 0; i < 200; i++) {
                    var letter = new org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>(forged, "k" + i, new byte[]{1});
                    letter.headers().add(dev.mesh.sdk.internal.publish.DeadLetters.DLQ_STAGE,
                            dev.mesh.sdk.internal.streams.StreamsDeadLetters.STAGE_DECODE.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    reader.send(letter);
                }
                reader.flush();
            }
            Await.until(WAIT, "the forged letters counted with the product", () ->
                    catalog.api("/api/ops/products/" + RunningCatalog.HEARTBEAT).path("deadLetters").asLong() >= before + 200);
            awaitEvaluations(catalog, 2);
            JsonNode ratio = objective(catalog, DEAD_LETTERS).path("current");
            assertThat(ratio.path("state").asText()).as("%s", ratio).isEqualTo("OK");
        });
    }

    /** The settlements' Streams app stamps each record with its latency; the catalog holds it to the contract's 10 s. */
    @Test
    void aDerivedProductsLatencyIsReadFromItsNewestRecords(RunningCatalog catalog) {
        JsonNode latency = Await.value(WAIT, "the settlements' latency evaluated", () -> Optional.of(
                catalog.api("/api/slo/finance.order-settlements").path("objectives").path("latency").path("current"))
                .filter(c -> c.has("value")));
        assertThat(latency.path("objective").asDouble()).isEqualTo(10.0);
        assertThat(latency.path("value").asDouble()).as("seconds from order to settlement").isGreaterThanOrEqualTo(0.0).isLessThan(10.0);
        assertThat(latency.path("state").asText()).isEqualTo("OK");
    }

    @Test
    void prometheusSeesTheMeasurementsAndStates(RunningCatalog catalog) {
        String metrics = Await.value(WAIT, "SLO states on /prometheus", () -> {
            String body = catalog.get("/prometheus", "admin").body();
            return Optional.of(body).filter(b -> b.contains("mesh_slo_state{") && b.contains("topic=\"sales.orders.v2\""));
        });
        assertThat(metrics).containsPattern("mesh_product_last_event_timestamp_seconds\\{[^}]*topic=\"sales.orders.v2\"[^}]*} [0-9.E]+");
        assertThat(metrics).containsPattern("mesh_product_records_total\\{[^}]*topic=\"sales.orders.v2\"[^}]*} [0-9.E]+");
        assertThat(metrics).containsPattern("mesh_slo_state\\{[^}]*slo=\"freshness\"[^}]*topic=\"sales.orders.v2\"[^}]*}");
        assertThat(catalog.get("/prometheus", "sales").statusCode()).isEqualTo(403);
    }

    @Test
    void theApiListsBreachesFirstAndRefusesOutOfRangeLimits(RunningCatalog catalog) {
        JsonNode all = Await.value(WAIT, "the ghost's freshness evaluated", () -> {
            JsonNode answer = catalog.api("/api/slo");
            for (JsonNode o : answer.path("objectives")) {
                if (o.path("topic").asText().equals("qa.ghost.v1")) {
                    return Optional.of(answer);
                }
            }
            return Optional.empty();
        });
        List<String> states = new ArrayList<>();
        all.path("objectives").forEach(o -> states.add(o.path("state").asText()));
        assertThat(states).isSortedAccordingTo(java.util.Comparator.comparing(s -> -List.of("OK", "WARN", "BREACHED").indexOf(s)));
        assertThat(states.get(0)).as("the ghost, whose topic is gone, breaches").isEqualTo("BREACHED");
        assertThat(catalog.get("/api/slo?alerts=5000").statusCode()).isEqualTo(400);
        assertThat(catalog.get("/api/slo/qa.nothing").statusCode()).isEqualTo(404);
    }

    /** Waits for the state, and returns when the reading showing it was taken. */
    /** Runs {@code test} while the heartbeat publishes, with the publisher for beats of its own. */
    private static void whileBeating(RunningCatalog catalog, Beating test) throws Exception {
        try (Mesh client = catalog.heartbeatClient();
             Publisher<GenericRecord> publisher = client.publisher(Product.of(RunningCatalog.heartbeat(), GenericRecord.class))) {
            Beats beats = new Beats(publisher);
            beats.start();
            try {
                test.run(publisher);
            } finally {
                beats.stop();
            }
        }
    }

    private interface Beating {
        void run(Publisher<GenericRecord> publisher) throws Exception;
    }

    private static Instant awaitState(RunningCatalog catalog, String slo, String state) {
        return Await.value(WAIT, RunningCatalog.HEARTBEAT + " " + slo + " " + state, () -> {
            JsonNode current = objective(catalog, slo).path("current");
            return state.equals(current.path("state").asText()) ? Optional.of(Instant.parse(current.path("at").asText())) : Optional.empty();
        });
    }

    /** Until the catalog has evaluated the heartbeat {@code n} more times. */
    private static void awaitEvaluations(RunningCatalog catalog, int n) {
        String[] at = {objective(catalog, FRESHNESS).path("current").path("at").asText()};
        int[] seen = {0};
        Await.until(WAIT, n + " more evaluations", () -> {
            String now = objective(catalog, FRESHNESS).path("current").path("at").asText();
            if (!now.equals(at[0])) {
                at[0] = now;
                seen[0]++;
            }
            return seen[0] >= n;
        });
    }

    private static JsonNode objective(RunningCatalog catalog, String slo) {
        return catalog.api("/api/slo/" + RunningCatalog.HEARTBEAT).path("objectives").path(slo);
    }

    /** The heartbeat's alerts of one objective after {@code since}, newest first. */
    private static List<JsonNode> alerts(RunningCatalog catalog, String slo, Instant since) {
        List<JsonNode> out = new ArrayList<>();
        catalog.api("/api/slo/" + RunningCatalog.HEARTBEAT).path("alerts").forEach(a -> {
            if (a.path("slo").asText().equals(slo) && Instant.parse(a.path("at").asText()).isAfter(since)) {
                out.add(a);
            }
        });
        return out;
    }

    /** The webhook's calls for the heartbeat's alerts of one objective raised after {@code since}. */
    private static List<WebhookReceiver.Call> calls(RunningCatalog catalog, String slo, Instant since) {
        return catalog.webhook().calls().stream().filter(c -> c.alert().path("topic").asText().equals("qa.heartbeat.v1")
                && c.alert().path("slo").asText().equals(slo) && Instant.parse(c.alert().path("at").asText()).isAfter(since)).toList();
    }

    private static GenericRecord beat(Publisher<GenericRecord> publisher, boolean ok) {
        GenericRecord r = new GenericData.Record(publisher.contract().schema());
        r.put("beatId", UUID.randomUUID().toString());
        r.put("ok", ok);
        return r;
    }

    /** Good beats every 250 ms on a thread of their own, until stopped. */
    private static final class Beats {
        private final Publisher<GenericRecord> publisher;
        private final AtomicBoolean running = new AtomicBoolean();
        private Thread thread;

        Beats(Publisher<GenericRecord> publisher) {
            this.publisher = publisher;
        }

        void start() {
            running.set(true);
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        publisher.publish(beat(publisher, true)).get(30, TimeUnit.SECONDS);
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "beats");
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }
    }
}
