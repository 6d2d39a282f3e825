package dev.mesh.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.schemas.FinanceProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.catalog.Catalog;
import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.internal.publish.DeadLetters;
import dev.mesh.sdk.internal.serde.AvroDeserializer;
import dev.mesh.sdk.ops.MeshOps;
import dev.mesh.sdk.ops.ProductStatus;
import dev.mesh.sdk.ops.RedriveReport;
import dev.mesh.sdk.security.MeshCredentials;
import dev.mesh.sdk.security.MeshPrincipals;
import dev.mesh.testkit.Await;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * The attacks of an insider with a domain's own credentials on the secured mesh, each written the way a raw Kafka
 * client would: every product stays exact and every tool truthful. The demo generators run, so a generator that acted
 * on a forged or a hand-posted record would show here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntegrityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    static Path data;
    private LocalMesh mesh;

    @BeforeAll
    void start() {
        mesh = LocalMesh.start(LocalMesh.Settings.ephemeral(data, 5));
    }

    @AfterAll
    void stop() {
        if (mesh != null) {
            mesh.close();
        }
    }

    /**
     * Sales writes orders past its contract around the SDK: a 500-digit total (its encoding by a reader once corrupted
     * the next record), and event times in year 1 and at Long.MAX. Hand-posted orders around them settle exactly;
     * every record of every product decodes whole; no reader derived anything from the poison, and sales' health and
     * `mesh products` say sales.orders holds records its readers refuse.
     */
    @Test
    void poisonOrdersWrittenAroundTheSdkCorruptNoProductAndAreReported() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> poison = List.of("o-digits-" + run, "o-year-one-" + run, "o-far-future-" + run);
        Schema v2 = SalesProducts.ORDERS_V2.contract().schema();
        int v2Id = registryId(SalesProducts.ORDERS_V2.contract().subject());
        try (KafkaProducer<String, byte[]> sales = producer("sales")) {
            send(sales, "sales.orders.v2", poison.get(0), frame(v2Id, order(v2, poison.get(0), new BigInteger("9".repeat(500)), System.currentTimeMillis())));
            send(sales, "sales.orders.v2", poison.get(1), frame(v2Id, order(v2, poison.get(1), BigInteger.valueOf(1999), -62_135_596_800_000L)));
            send(sales, "sales.orders.v2", poison.get(2), frame(v2Id, order(v2, poison.get(2), BigInteger.valueOf(1999), Long.MAX_VALUE)));
        }
        // a payment for each poison order too, as a payment provider might send one
        for (String id : poison) {
            assertThat(post("finance", "/products/payments", "{\"orderId\": \"" + id + "\", \"kind\": \"CAPTURED\", \"amount\": 19.99,"
                    + " \"currency\": \"EUR\"}").statusCode()).isEqualTo(202);
        }
        // orders a user posts by hand, each paid once by hand: the generator pays none of them
        List<String> honest = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = "o-honest-" + run + "-" + i;
            honest.add(id);
            assertThat(post("sales", "/products/orders", "{\"orderId\": \"" + id + "\", \"customerId\": \"c-" + i + "\","
                    + " \"currency\": \"EUR\", \"totalAmount\": 12.34, \"lines\": [{\"sku\": \"mug\", \"quantity\": 1,"
                    + " \"unitPrice\": 12.34}]}").statusCode()).isEqualTo(202);
            assertThat(post("finance", "/products/payments", "{\"orderId\": \"" + id + "\", \"kind\": \"CAPTURED\","
                    + " \"amount\": 12.34, \"currency\": \"EUR\"}").statusCode()).isEqualTo(202);
        }
        for (String id : honest) {
            JsonNode settlement = Await.value(Duration.ofSeconds(90), "the settlement of " + id, () -> lookup(id)
                    .filter(j -> j.path("status").asText().equals("PAID")));
            assertThat(settlement.path("netAmount").decimalValue()).isEqualByComparingTo("12.34");
        }
        // the settlements app refused each poison order on read, naming the rule, and went on
        Map<String, String> refused = Await.value(Duration.ofSeconds(60), "the poison orders in the settlements app's DLQ", () -> {
            Map<String, String> rules = new HashMap<>();
            readAll("finance-order-settlements.dlq").stream().filter(r -> poison.contains(r.key()))
                    .forEach(r -> rules.put(r.key(), DeadLetters.header(r.headers(), DeadLetters.RULE_NAME)));
            return rules.size() == 3 ? Optional.of(rules) : Optional.empty();
        });
        assertThat(refused).containsEntry(poison.get(0), "schema-bounds").containsEntry(poison.get(1), "event-time")
                .containsEntry(poison.get(2), "event-time");
        for (String id : poison) {
            assertThat(lookupStatus(id)).as("no settlement of %s", id).isNotEqualTo(200);
        }

        // every record of every product decodes whole: no failed encode left its bytes in front of another record
        AvroDeserializer<GenericRecord> decode = new AvroDeserializer<>();
        decode.configure(mesh.clientConfig(MeshPrincipals.ADMIN), false);
        for (String topic : List.of("sales.orders.v1", "finance.payments.v1", "finance.order-settlements.v1",
                "finance.revenue-daily.v1", "finance.refund-rate.v1", "marketing.campaign-attribution.v1",
                "marketing.campaign-performance.v1")) {
            for (ConsumerRecord<String, byte[]> r : readAll(topic)) {
                if (r.value() != null) {
                    assertThat(decode.deserialize(topic, r.value())).as("%s-%d@%d", topic, r.partition(), r.offset()).isNotNull();
                }
            }
        }
        assertThat(readAll("finance.revenue-daily.v1")).extracting(ConsumerRecord::key)
                .noneMatch(k -> k.contains("0001-01-01") || k.contains("+292278994"));
        // payments of poison and hand-posted orders: only those posted by hand, one each
        Map<String, Integer> payments = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll("finance.payments.v1")) {
            if (poison.contains(r.key()) || honest.contains(r.key())) {
                payments.merge(r.key(), 1, Integer::sum);
            }
        }
        List<String> posted = new ArrayList<>(poison);
        posted.addAll(honest);
        assertThat(payments).as("the generator paid nothing it did not generate").containsOnlyKeys(posted)
                .allSatisfy((k, n) -> assertThat(n).isEqualTo(1));

        // the tools tell: sales' bridge refused records sales itself wrote, and sales.orders holds records its readers refuse
        JsonNode health = Await.value(Duration.ofSeconds(30), "sales DEGRADED", () -> health("sales")
                .filter(h -> h.path("status").asText().equals("DEGRADED")));
        assertThat(health.toString()).contains("integrity", "sales.orders.v2");
        try (Mesh admin = Mesh.connect(mesh.clientConfig(MeshPrincipals.ADMIN)); MeshOps ops = new MeshOps(admin)) {
            ProductStatus orders = ops.status(ops.product(ops.catalog(), "sales.orders.v2"));
            assertThat(orders.refusedOnRead()).isGreaterThanOrEqualTo(3);
        }
    }

    /**
     * Domains rewrite each other's catalog entries: Kafka refuses a write to another domain's catalog topic, and what a
     * domain writes into its own about another's product is refused and reported, never believed.
     */
    @Test
    void aDomainCannotForgeOrDeleteAnotherDomainsCatalogEntry() throws Exception {
        Await.until(Duration.ofSeconds(60), "every domain's catalog entries", () -> catalog().product("finance.refund-rate.v1").isPresent()
                && catalog().product("sales.customers.v1").isPresent());
        try (KafkaProducer<String, String> sales = textProducer("sales")) {
            assertThatThrownBy(() -> sales.send(new ProducerRecord<>(Naming.catalogTopic("finance"), "product|finance.revenue-daily.v1",
                    "{}")).get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
            String forged = "{\"type\": \"product\", \"product\": \"finance.revenue-daily\", \"version\": \"1.0.1\", \"major\": 1,"
                    + " \"topic\": \"finance.revenue-daily.v1\", \"dlqTopic\": \"sales.orders.v1.sales-x.dlq\", \"ownerTeam\": \"sales\","
                    + " \"ownerContact\": \"attacker@shop.example\", \"classification\": \"public\", \"freshness\": \"PT87600H\"}";
            sales.send(new ProducerRecord<>(Naming.catalogTopic("sales"), "product|finance.revenue-daily.v1", forged)).get(30, TimeUnit.SECONDS);
            // its own entry, with SLOs the catalog's evaluation could not read: refused, so it stops no evaluation
            String unreadable = "{\"type\": \"product\", \"product\": \"sales.bogus\", \"version\": \"1.0.0\", \"major\": 1,"
                    + " \"topic\": \"sales.bogus.v1\", \"ownerTeam\": \"sales\", \"freshness\": \"soon\","
                    + " \"objectives\": {\"window\": \"PT5M\", \"deadLetterRatio\": 7}}";
            sales.send(new ProducerRecord<>(Naming.catalogTopic("sales"), "product|sales.bogus.v1", unreadable)).get(30, TimeUnit.SECONDS);
            // a key no product or consumer has: refused, and not held whole (every catalog reader keeps what it refused)
            sales.send(new ProducerRecord<>(Naming.catalogTopic("sales"), "product|sales." + "x".repeat(100_000) + ".v1", null))
                    .get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> marketing = textProducer("marketing")) {
            marketing.send(new ProducerRecord<>(Naming.catalogTopic("marketing"), "product|finance.refund-rate.v1", null)).get(30, TimeUnit.SECONDS);
            String customers = "{\"type\": \"product\", \"product\": \"sales.customers\", \"version\": \"1.0.0\", \"major\": 1,"
                    + " \"topic\": \"sales.customers.v1\", \"ownerTeam\": \"marketing\", \"classification\": \"public\"}";
            marketing.send(new ProducerRecord<>(Naming.catalogTopic("marketing"), "product|sales.customers.v1", customers)).get(30, TimeUnit.SECONDS);
        }
        CatalogSnapshot catalog = catalog();
        ProductEntry revenue = catalog.product("finance.revenue-daily.v1").orElseThrow();
        assertThat(revenue.ownerTeam()).isEqualTo("finance");
        assertThat(revenue.classification()).isEqualTo("confidential");
        assertThat(revenue.dlqTopic()).isEqualTo("finance.revenue-daily.v1.dlq");
        assertThat(catalog.product("finance.refund-rate.v1")).as("a tombstone from marketing deletes nothing").isPresent();
        assertThat(catalog.product("sales.customers.v1").orElseThrow().ownerTeam()).isEqualTo("sales");
        assertThat(catalog.refused()).anySatisfy(r -> assertThat(r).contains(Naming.catalogTopic("sales"), "finance.revenue-daily.v1"))
                .anySatisfy(r -> assertThat(r).contains(Naming.catalogTopic("marketing"), "finance.refund-rate.v1"))
                .anySatisfy(r -> assertThat(r).contains(Naming.catalogTopic("marketing"), "sales.customers.v1"))
                .anySatisfy(r -> assertThat(r).contains("sales.bogus.v1", "freshness 'soon' is not a positive ISO-8601 duration",
                        "deadLetterRatio 7.0 is not a share"));
        assertThat(catalog.product("sales.bogus.v1")).isEmpty();
        int longKey = ("product|sales." + "x".repeat(100_000) + ".v1").length();
        assertThat(catalog.refused()).anySatisfy(r -> assertThat(r)
                .contains("(" + longKey + " characters)", "a catalog key has at most 600").hasSizeLessThan(1_000));
    }

    /**
     * Marketing may create consumer DLQs under sales.orders.v1 and fills one with a forged finance payment: nothing
     * points a redrive at it (a product's DLQ is its topic + .dlq), marketing cannot write finance's DLQ, the broker
     * keeps the topics it may create small, and the admin's redrive of finance.payments republishes only finance's
     * own dead letters into finance's own topic.
     */
    @Test
    void aRedriveRepublishesOnlyTheProductsOwnDeadLettersIntoItsOwnTopic() throws Exception {
        Schema payment = FinanceProducts.PAYMENTS.contract().schema();
        int paymentId = registryId(FinanceProducts.PAYMENTS.contract().subject());
        String forgedKey = "o-laundered-" + UUID.randomUUID();
        byte[] forged = frame(paymentId, payment(payment, forgedKey, "REFUNDED"));
        String readerDlq = "sales.orders.v1.marketing-redrive-" + UUID.randomUUID().toString().substring(0, 6) + ".dlq";
        try (Admin marketing = Admin.create(kafka("marketing"))) {
            marketing.createTopics(List.of(new NewTopic(readerDlq, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> marketing.createTopics(List.of(new NewTopic("sales.orders.v1.marketing-big.dlq", 50, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(PolicyViolationException.class);
            assertThatThrownBy(() -> marketing.createTopics(List.of(new NewTopic("sales.orders.v1.marketing-store", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(PolicyViolationException.class);
            assertThatThrownBy(() -> marketing.createTopics(List.of(new NewTopic("sales.orders.v1.marketing-kept.dlq", 1, (short) 1)
                    .configs(Map.of("max.message.bytes", "100000000")))).all().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(PolicyViolationException.class);
        }
        try (KafkaProducer<String, byte[]> marketing = producer("marketing")) {
            send(marketing, readerDlq, forgedKey, forged);
            assertThatThrownBy(() -> marketing.send(new ProducerRecord<>("finance.payments.v1.dlq", forgedKey, forged)).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        // a dead letter in finance's own DLQ that names another product as its origin goes nowhere else
        String elsewhereKey = "o-elsewhere-" + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> admin = producer(MeshPrincipals.ADMIN)) {
            RecordHeaders h = new RecordHeaders();
            DeadLetters.put(h, DeadLetters.ORIGIN_TOPIC, "sales.orders.v2");
            DeadLetters.put(h, DeadLetters.RULE_NAME, "non-negative-amount");
            admin.send(new ProducerRecord<>("finance.payments.v1.dlq", null, elsewhereKey,
                    frame(paymentId, payment(payment, elsewhereKey, "CAPTURED")), h)).get(30, TimeUnit.SECONDS);
        }
        try (Mesh admin = Mesh.connect(mesh.clientConfig(MeshPrincipals.ADMIN)); MeshOps ops = new MeshOps(admin)) {
            RedriveReport report = ops.redrive(ops.product(ops.catalog(), "finance.payments"));
            assertThat(report.dlqTopic()).isEqualTo("finance.payments.v1.dlq");
            assertThat(report.republished()).extracting(d -> d.key()).doesNotContain(forgedKey, elsewhereKey);
            assertThat(report.stillFailing()).anySatisfy(f -> {
                assertThat(f.record().key()).isEqualTo(elsewhereKey);
                assertThat(f.rule()).isEqualTo("origin");
            });
        }
        assertThat(readAll("finance.payments.v1")).extracting(ConsumerRecord::key).doesNotContain(forgedKey, elsewhereKey);
        assertThat(readAll("sales.orders.v2")).extracting(ConsumerRecord::key).doesNotContain(elsewhereKey);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static GenericRecord order(Schema schema, String id, BigInteger unscaledTotal, long placedAt) {
        Schema money = schema.getField("amount").schema();
        Schema line = schema.getField("lines").schema().getElementType();
        GenericRecord amount = new GenericData.Record(money);
        amount.put("value", ByteBuffer.wrap(unscaledTotal.toByteArray()));
        amount.put("currency", new GenericData.EnumSymbol(money.getField("currency").schema(), "EUR"));
        GenericRecord l = new GenericData.Record(line);
        l.put("sku", "mug");
        l.put("quantity", 1);
        l.put("unitPrice", ByteBuffer.wrap(unscaledTotal.toByteArray()));
        GenericRecord r = new GenericData.Record(schema);
        r.put("orderId", id);
        r.put("customerId", "c-poison");
        r.put("amount", amount);
        r.put("lines", List.of(l));
        r.put("channel", new GenericData.EnumSymbol(schema.getField("channel").schema(), "WEB"));
        r.put("placedAt", placedAt);
        return r;
    }

    private static GenericRecord payment(Schema schema, String orderId, String kind) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("paymentId", "p-" + UUID.randomUUID());
        r.put("orderId", orderId);
        r.put("kind", new GenericData.EnumSymbol(schema.getField("kind").schema(), kind));
        r.put("amount", ByteBuffer.wrap(new BigDecimal("100.00").unscaledValue().toByteArray()));
        r.put("currency", new GenericData.EnumSymbol(schema.getField("currency").schema(), "EUR"));
        r.put("provider", "forged");
        r.put("occurredAt", System.currentTimeMillis());
        return r;
    }

    private static byte[] frame(int schemaId, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema(), new GenericData()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private int registryId(String subject) {
        try (Mesh admin = Mesh.connect(mesh.clientConfig(MeshPrincipals.ADMIN))) {
            return admin.registry().latest(subject).id();
        }
    }

    private CatalogSnapshot catalog() {
        return Catalog.read(kafka(MeshPrincipals.ADMIN));
    }

    private Optional<JsonNode> lookup(String orderId) {
        try {
            HttpResponse<String> r = request("finance", "GET", "/products/order-settlements/" + orderId, null, "marketing");
            return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private int lookupStatus(String orderId) throws Exception {
        return request("finance", "GET", "/products/order-settlements/" + orderId, null, "finance").statusCode();
    }

    private Optional<JsonNode> health(String service) {
        try {
            HttpResponse<String> r = request(service, "GET", "/health", null, MeshPrincipals.ADMIN);
            return Optional.of(JSON.readTree(r.body()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private HttpResponse<String> post(String service, String path, String body) throws Exception {
        return request(service, "POST", path, body, service);
    }

    private HttpResponse<String> request(String service, String method, String path, String body, String user) throws Exception {
        MeshCredentials c = mesh.credentials().flatMap(store -> store.find(user)).orElseThrow();
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(mesh.url(service) + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", c.basicAuth());
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, Object> kafka(String user) {
        Map<String, Object> p = new HashMap<>(mesh.credentials().flatMap(store -> store.find(user)).orElseThrow().kafkaProperties());
        p.put("bootstrap.servers", mesh.bootstrapServers());
        return p;
    }

    private KafkaProducer<String, byte[]> producer(String user) {
        Map<String, Object> p = kafka(user);
        p.put("max.block.ms", 20_000);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private KafkaProducer<String, String> textProducer(String user) {
        Map<String, Object> p = kafka(user);
        p.put("max.block.ms", 20_000);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    /** Every committed record of the topic up to its end now, read as the admin. */
    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Map<String, Object> p = kafka(MeshPrincipals.ADMIN);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("read %s to its end within a minute", topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
