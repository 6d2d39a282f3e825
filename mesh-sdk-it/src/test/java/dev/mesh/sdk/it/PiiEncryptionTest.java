package dev.mesh.sdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.registry.EmbeddedRegistry;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.Subscriber;
import dev.mesh.sdk.access.AccessGrant;
import dev.mesh.sdk.access.AccessLedger;
import dev.mesh.sdk.access.MeshAccounts;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.encryption.DataKeys;
import dev.mesh.sdk.security.CredentialStore;
import dev.mesh.sdk.security.MeshCredentials;
import dev.mesh.service.security.MeshSecurity;
import dev.mesh.testkit.Await;
import dev.mesh.testkit.EmbeddedKafka;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PII encrypted in the topic, on a secured broker and registry: the owner's publisher encrypts the PII-tagged fields
 * in Confluent's format, a raw reader of the topic sees ciphertext, a reader without a PII grant sees {@code ***} and
 * is refused the key, a PII grant is the key and its revocation takes it back within the key cache's bound.
 */
class PiiEncryptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static CredentialStore store;
    private static EmbeddedKafka kafka;
    private static EmbeddedRegistry registry;
    private static MeshCredentials admin;
    private static String owner;
    private static String reader;
    private static ProductContract people;
    private static ProductContract joinable;
    private static ProductContract rotating;
    private static ProductContract jsFirst;

    @BeforeAll
    static void startSecuredMesh() throws Exception {
        store = CredentialStore.at(Files.createTempDirectory("pii").resolve("credentials"));
        admin = MeshAccounts.admin(store);
        owner = TestMesh.uniqueDomain();
        reader = TestMesh.uniqueDomain();
        people = TestMesh.contract("people", owner, Map.of("${reader}", reader));
        joinable = TestMesh.contract("people", owner, Map.of("${reader}", reader, "people", "joinable-people",
                "\"type\": \"record\",", "\"type\": \"record\", \"encrypt.dek.algorithm\": \"AES256_SIV\","));
        rotating = TestMesh.contract("people", owner, Map.of("${reader}", reader, "people", "rotating-people",
                "\"type\": \"record\",", "\"type\": \"record\", \"encrypt.dek.expiry.days\": 1,"));
        jsFirst = TestMesh.contract("people", owner, Map.of("${reader}", reader, "people", "js-people"));
        ProductContract readersOwn = TestMesh.contract("payments", reader);
        kafka = EmbeddedKafka.builder().secured(admin.user(), admin.secret()).start();
        try (Admin client = kafka.admin()) {
            MeshAccounts.provision(client, store, List.of(people, joinable, rotating, jsFirst, readersOwn));
        }
        Map<String, Object> settings = new HashMap<>(MeshSecurity.settings(store.realm()));
        store.find("registry").orElseThrow().kafkaProperties().forEach((k, v) -> settings.put("kafka." + k, v));
        settings.put("registry.encryption.secret", UUID.randomUUID().toString());
        registry = EmbeddedRegistry.start(kafka.bootstrapServers(), 0, settings);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Mesh connect(String domain, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(store.find(domain).orElseThrow().clientProperties());
        config.putAll(Map.of("bootstrap.servers", kafka.bootstrapServers(), "schema.registry.url", registry.url(),
                Mesh.APP, domain + "-app", Mesh.PROVISION, "apply"));
        config.putAll(extra);
        return Mesh.connect(config);
    }

    private static GenericRecord person(ProductContract contract, String id, String name, String email) {
        GenericData.Record r = new GenericData.Record(contract.schema());
        r.put("personId", id);
        r.put("name", name);
        r.put("email", email);
        r.put("country", "NL");
        return r;
    }

    private static void publish(Mesh mesh, ProductContract contract, GenericRecord... records) throws Exception {
        try (Publisher<GenericRecord> publisher = mesh.publisher(Product.of(contract, GenericRecord.class))) {
            for (GenericRecord r : records) {
                publisher.publish(r).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The topic's records as a raw Kafka client (the admin, not the SDK) decodes them: plain Avro, no keys. */
    private static Map<String, GenericRecord> raw(ProductContract contract, int expected) {
        Map<String, Object> c = new HashMap<>(admin.kafkaProperties());
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        Map<String, GenericRecord> seen = new HashMap<>();
        GenericDatumReader<GenericRecord> avro = new GenericDatumReader<>(contract.schema());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(contract.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Await.until(Duration.ofSeconds(30), expected + " records in " + contract.topicName(), () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        seen.put(r.key(), avro.read(null, DecoderFactory.get().binaryDecoder(r.value(), 5, r.value().length - 5, null)));
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                }
                return seen.size() >= expected;
            });
        }
        return seen;
    }

    /** What a subscriber of {@code domain} receives, by key, until it has every key of {@code keys}. */
    private static Map<String, GenericRecord> subscribe(Mesh mesh, String domain, ProductContract contract, String... keys) {
        Map<String, GenericRecord> received = new ConcurrentHashMap<>();
        try (Subscriber<GenericRecord> s = mesh.subscriber(Product.of(contract, GenericRecord.class))
                .group(domain + "-" + UUID.randomUUID()).handler(r -> received.put(r.key(), r.value())).start()) {
            Await.until(Duration.ofSeconds(60), List.of(keys) + " read by " + domain, () -> received.keySet().containsAll(List.of(keys)));
        }
        return received;
    }

    private static HttpResponse<String> dekAs(String domain, ProductContract contract) throws Exception {
        MeshCredentials who = domain.equals("admin") ? admin : store.find(domain).orElseThrow();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(registry.url() + "/dek-registry/v1/keks/"
                        + owner + "-pii/deks/" + contract.subject() + "/versions/latest"))
                .header("Authorization", who.basicAuth()).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theTopicHoldsCiphertextAndOnlyTheOwnerReadsItClear() throws Exception {
        try (Mesh mesh = connect(owner, Map.of())) {
            publish(mesh, people, person(people, "p-1", "Ada Lovelace", "ada@example.com"), person(people, "p-2", "Alan Turing", null));
        }
        Map<String, GenericRecord> onTheWire = raw(people, 2);
        String name = onTheWire.get("p-1").get("name").toString();
        assertThat(name).isNotEqualTo("Ada Lovelace");
        assertThat(Base64.getDecoder().decode(name)).as("GCM: IV, ciphertext, tag").hasSize(12 + "Ada Lovelace".length() + 16);
        assertThat(onTheWire.get("p-1").get("email").toString()).doesNotContain("ada");
        assertThat(onTheWire.get("p-2").get("email")).as("a null stays null").isNull();
        assertThat(onTheWire.get("p-1").get("country").toString()).as("untagged fields stay clear").isEqualTo("NL");

        try (Mesh mesh = connect(owner, Map.of())) {
            Map<String, GenericRecord> read = subscribe(mesh, owner, people, "p-1", "p-2");
            assertThat(read.get("p-1").get("name").toString()).isEqualTo("Ada Lovelace");
            assertThat(read.get("p-1").get("email").toString()).isEqualTo("ada@example.com");
        }
        assertThat(dekAs(owner, people).statusCode()).isEqualTo(200);
        JsonNode dek = JSON.readTree(dekAs("admin", people).body());
        assertThat(dek.path("keyMaterial").asText()).as("a shared KEK's key, released to an admin").isNotEmpty();
        assertThat(dek.path("algorithm").asText()).isEqualTo("AES256_GCM");
    }

    @Test
    void aPiiGrantIsTheKeyAndRevokingItTakesTheKeyBack() throws Exception {
        try (Mesh mesh = connect(owner, Map.of())) {
            publish(mesh, people, person(people, "g-1", "Grace Hopper", "grace@example.com"));
        }
        try (Mesh mesh = connect(reader, Map.of(DataKeys.TTL, "1"))) {
            GenericRecord masked = subscribe(mesh, reader, people, "g-1").get("g-1");
            assertThat(masked.get("name").toString()).isEqualTo("***");
            assertThat(masked.get("email").toString()).isEqualTo("***");
            assertThat(masked.get("country").toString()).isEqualTo("NL");
        }
        HttpResponse<String> refused = dekAs(reader, people);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).path("message").asText())
                .contains("no grant on " + people.topicName() + " that includes PII").contains("mesh access request");

        Map<String, Object> adminKafka = new HashMap<>(admin.kafkaProperties());
        adminKafka.put("bootstrap.servers", kafka.bootstrapServers());
        Instant now = Instant.now();
        AccessGrant grant = new AccessGrant("r-" + UUID.randomUUID(), people.topicName(), "User:" + reader, "campaign",
                true, AccessGrant.Status.APPROVED, "User:" + reader, now, "User:" + owner, now, null, null);
        try (Admin client = kafka.admin(); AccessLedger ledger = new AccessLedger(adminKafka, client, (short) 1)) {
            ledger.write(grant);
            Await.until(Duration.ofSeconds(30), "the grant reaches the registry", () -> statusOf(reader) == 200);
            try (Mesh mesh = connect(reader, Map.of(DataKeys.TTL, "1"))) {
                assertThat(subscribe(mesh, reader, people, "g-1").get("g-1").get("name").toString()).isEqualTo("Grace Hopper");
            }
            ledger.write(new AccessGrant(grant.id(), grant.product(), grant.principal(), grant.reason(), true,
                    AccessGrant.Status.REVOKED, grant.requestedBy(), now, "User:" + owner, Instant.now(), null, null));
            Await.until(Duration.ofSeconds(30), "the revocation reaches the registry", () -> statusOf(reader) == 403);
            try (Mesh mesh = connect(reader, Map.of(DataKeys.TTL, "1"))) {
                assertThat(subscribe(mesh, reader, people, "g-1").get("g-1").get("name").toString())
                        .as("revoked: the key is not given again").isEqualTo("***");
            }
        }
    }

    private static int statusOf(String domain) {
        try {
            return dekAs(domain, people).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void sivKeepsEqualValuesEqualSoTheyStayJoinable() throws Exception {
        try (Mesh mesh = connect(owner, Map.of())) {
            publish(mesh, joinable, person(joinable, "j-1", "Same Name", "same@example.com"),
                    person(joinable, "j-2", "Same Name", "other@example.com"));
        }
        Map<String, GenericRecord> wire = raw(joinable, 2);
        assertThat(wire.get("j-1").get("name").toString()).isEqualTo(wire.get("j-2").get("name").toString())
                .isNotEqualTo("Same Name");
        assertThat(wire.get("j-1").get("email").toString()).isNotEqualTo(wire.get("j-2").get("email").toString());
        try (Mesh mesh = connect(owner, Map.of())) {
            assertThat(subscribe(mesh, owner, joinable, "j-1", "j-2").get("j-2").get("email").toString()).isEqualTo("other@example.com");
        }
    }

    @Test
    void anExpiredKeyIsRotatedAndOlderRecordsStillDecrypt() throws Exception {
        Instant now = Instant.now();
        try (Mesh mesh = connect(owner, Map.of("mesh.clock", "fixed:" + now))) {
            publish(mesh, rotating, person(rotating, "k-1", "Before Rotation", "before@example.com"));
        }
        try (Mesh mesh = connect(owner, Map.of("mesh.clock", "fixed:" + now.plus(Duration.ofDays(2))))) {
            publish(mesh, rotating, person(rotating, "k-2", "After Rotation", "after@example.com"));
        }
        Map<String, GenericRecord> wire = raw(rotating, 2);
        assertThat(version(wire.get("k-1"))).isEqualTo(1);
        assertThat(version(wire.get("k-2"))).isEqualTo(2);
        try (Mesh mesh = connect(owner, Map.of())) {
            Map<String, GenericRecord> read = subscribe(mesh, owner, rotating, "k-1", "k-2");
            assertThat(read.get("k-1").get("name").toString()).isEqualTo("Before Rotation");
            assertThat(read.get("k-2").get("name").toString()).isEqualTo("After Rotation");
        }
    }

    /** The key version Confluent's layout puts in front of a rotating key's ciphertext: 0x00, then an int. */
    private static int version(GenericRecord wire) {
        byte[] sealed = Base64.getDecoder().decode(wire.get("name").toString());
        assertThat(sealed[0]).isZero();
        return ByteBuffer.wrap(sealed, 1, 4).getInt();
    }

    /**
     * Confluent's JavaScript client (its serdes, field encryption executor and local KMS driver), signed in as the
     * owner: it decrypts what our SDK encrypted, we decrypt what it encrypted, a data key it created is the one our
     * publisher then uses, SIV gives both the same ciphertext, and a reader without the key keeps the ciphertext, as
     * the rule's onFailure (ERROR,NONE) says.
     */
    @Test
    void confluentsJavaScriptClientReadsAndWritesOurEncryptedFields() throws Exception {
        try (Mesh mesh = connect(owner, Map.of())) {
            publish(mesh, people, person(people, "x-1", "Katherine Johnson", "kj@example.com"));
            publish(mesh, joinable, person(joinable, "x-2", "Katherine Johnson", "kj@example.com"));
            // registers js-people's schema and rule; its data key does not exist yet
            mesh.publisher(Product.of(jsFirst, GenericRecord.class)).close();
        }
        byte[] ours = rawBytes(people, "x-1");
        JsonNode read = js(owner, people, Map.of("op", "deserialize", "bytes", Base64.getEncoder().encodeToString(ours)));
        assertThat(read.path("value").path("name").asText()).as(read.toString()).isEqualTo("Katherine Johnson");
        assertThat(read.path("value").path("email").asText()).isEqualTo("kj@example.com");

        JsonNode notGranted = js(reader, people, Map.of("op", "deserialize", "bytes", Base64.getEncoder().encodeToString(ours)));
        assertThat(notGranted.path("value").path("name").asText()).as(notGranted.toString())
                .isNotEqualTo("Katherine Johnson").isNotEmpty();

        Map<String, Object> value = Map.of("personId", "js-1", "name", "Written In Node", "email", "node@example.com", "country", "SE");
        JsonNode written = js(owner, jsFirst, Map.of("op", "serialize", "value", value));
        assertThat(written.has("bytes")).as(written.toString()).isTrue();
        byte[] theirs = Base64.getDecoder().decode(written.path("bytes").asText());
        Map<String, Object> producer = new HashMap<>(store.find(owner).orElseThrow().kafkaProperties());
        producer.put("bootstrap.servers", kafka.bootstrapServers());
        try (var p = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(producer,
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(jsFirst.topicName(), "js-1", theirs)).get(30, TimeUnit.SECONDS);
        }
        assertThat(raw(jsFirst, 1).get("js-1").get("name").toString()).isNotEqualTo("Written In Node");
        try (Mesh mesh = connect(owner, Map.of())) {
            publish(mesh, jsFirst, person(jsFirst, "sdk-1", "Written In Java", "java@example.com"));
            Map<String, GenericRecord> both = subscribe(mesh, owner, jsFirst, "js-1", "sdk-1");
            assertThat(both.get("js-1").get("name").toString()).isEqualTo("Written In Node");
            assertThat(both.get("js-1").get("email").toString()).isEqualTo("node@example.com");
        }
        JsonNode versions = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(registry.url()
                        + "/dek-registry/v1/keks/" + owner + "-pii/deks/" + jsFirst.subject() + "/versions"))
                .header("Authorization", admin.basicAuth()).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(versions.toString()).as("the key the JavaScript client made is the one our publisher used").isEqualTo("[1]");
        JsonNode javaRecordInNode = js(owner, jsFirst, Map.of("op", "deserialize", "bytes",
                Base64.getEncoder().encodeToString(rawBytes(jsFirst, "sdk-1"))));
        assertThat(javaRecordInNode.path("value").path("name").asText()).as(javaRecordInNode.toString()).isEqualTo("Written In Java");

        Map<String, Object> same = Map.of("personId", "x-3", "name", "Katherine Johnson", "email", "kj@example.com", "country", "NL");
        JsonNode siv = js(owner, joinable, Map.of("op", "serialize", "value", same));
        byte[] sivBytes = Base64.getDecoder().decode(siv.path("bytes").asText());
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(joinable.schema())
                .read(null, DecoderFactory.get().binaryDecoder(sivBytes, 5, sivBytes.length - 5, null));
        assertThat(decoded.get("name").toString()).as("SIV: the same name, the same ciphertext, whichever client wrote it")
                .isEqualTo(raw(joinable, 1).get("x-2").get("name").toString());
    }

    /** Runs Confluent's JavaScript client (src/test/js/interop.cjs) as {@code domain}, for one record of {@code product}. */
    private static JsonNode js(String domain, ProductContract product, Map<String, Object> request) throws Exception {
        MeshCredentials who = store.find(domain).orElseThrow();
        Map<String, Object> input = new HashMap<>(request);
        input.put("registry", registry.url());
        input.put("userInfo", who.user() + ":" + who.secret());
        input.put("topic", product.topicName());
        Process node = new ProcessBuilder("node", "src/test/js/interop.cjs", JSON.writeValueAsString(input))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = node.getInputStream().readAllBytes();
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
        return JSON.readTree(out);
    }

    /** A record's bytes as they are in the topic. */
    private static byte[] rawBytes(ProductContract contract, String key) {
        Map<String, Object> c = new HashMap<>(admin.kafkaProperties());
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        byte[][] found = new byte[1][];
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(contract.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Await.until(Duration.ofSeconds(30), key + " in " + contract.topicName(), () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        found[0] = r.value();
                    }
                }
                return found[0] != null;
            });
        }
        return found[0];
    }

    @Test
    void badInputOnTheDekEndpointsGetsConfluentsAnswersNeverA5xx() throws Exception {
        String keks = "/dek-registry/v1/keks";
        String kek = owner + "-pii";
        List<String[]> cases = new ArrayList<>(List.of(
                // method, path, body, status, error code
                new String[]{"POST", keks, "{\"name\":\"1bad\",\"kmsType\":\"local-kms\",\"kmsKeyId\":\"k\"}", "422", "42271"},
                new String[]{"POST", keks, "{\"name\":\"" + owner + "-x\",\"kmsKeyId\":\"k\"}", "422", "42271"},
                new String[]{"POST", keks, "{\"name\":\"" + owner + "-x\",\"kmsType\":\"aws-kms\",\"kmsKeyId\":\"k\"}", "422", "42271"},
                new String[]{"POST", keks, "{\"name\":", "400", "400"},
                new String[]{"POST", keks, "[]", "400", "400"},
                new String[]{"POST", keks, "{\"name\":\"" + owner + "-x\",\"kmsType\":\"local-kms\",\"kmsKeyId\":\"k\",\"shared\":\"yes\"}", "422", "42201"},
                new String[]{"GET", keks + "/nokek", null, "404", "40470"},
                new String[]{"GET", keks + "/" + "x".repeat(300), null, "422", "42271"},
                new String[]{"GET", keks + "/nokek/deks/s-value/versions/0", null, "422", "42202"},
                new String[]{"GET", keks + "/nokek/deks/s-value/versions/abc", null, "422", "42202"},
                new String[]{"GET", keks + "/nokek/deks/s-value?algorithm=ROT13", null, "422", "42271"},
                new String[]{"DELETE", keks + "/nokek?permanent=maybe", null, "400", "400"}));
        for (String[] c : cases) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + c[1]))
                    .header("Authorization", admin.basicAuth()).header("Content-Type", "application/json");
            request.method(c[0], c[2] == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(c[2]));
            HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(c[0] + " " + c[1] + " " + c[2] + ": " + answer.body()).isEqualTo(Integer.parseInt(c[3]));
            assertThat(JSON.readTree(answer.body()).path("error_code").asInt()).as(c[0] + " " + c[1] + ": " + answer.body())
                    .isEqualTo(Integer.parseInt(c[4]));
        }
        // a shared KEK's keys are the registry's to make: material brought in would have it unwrap anything for its bringer
        HttpResponse<String> shared = send("POST", keks,
                "{\"name\":\"" + owner + "-shared\",\"kmsType\":\"local-kms\",\"kmsKeyId\":\"k\",\"shared\":true}");
        assertThat(shared.statusCode()).as(shared.body()).isEqualTo(200);
        String someoneElses = JSON.readTree(send("POST", keks + "/" + owner + "-shared/deks/" + owner + ".z.v1-value", "{}").body())
                .path("encryptedKeyMaterial").asText();
        assertThat(someoneElses).isNotBlank();
        HttpResponse<String> brought = send("POST", keks + "/" + owner + "-shared/deks/" + owner + ".y.v1-value",
                "{\"encryptedKeyMaterial\":\"" + someoneElses + "\"}");
        assertThat(brought.statusCode()).as(brought.body()).isEqualTo(422);
        assertThat(brought.body()).contains("encryptedKeyMaterial").doesNotContain("keyMaterial\":");
        // a non-shared KEK needs the client to wrap: no material, no key
        HttpResponse<String> created = send("POST", keks, "{\"name\":\"" + owner + "-own\",\"kmsType\":\"local-kms\",\"kmsKeyId\":\"k\",\"shared\":false}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(send("POST", keks, "{\"name\":\"" + owner + "-own\",\"kmsType\":\"local-kms\",\"kmsKeyId\":\"other\"}").statusCode()).isEqualTo(409);
        HttpResponse<String> noMaterial = send("POST", keks + "/" + owner + "-own/deks/" + owner + ".x.v1-value", "{}");
        assertThat(JSON.readTree(noMaterial.body()).path("error_code").asInt()).as(noMaterial.body()).isEqualTo(42271);
        assertThat(send("POST", keks + "/" + owner + "-own/deks/" + owner + ".x.v1-value", "{\"encryptedKeyMaterial\":\"%%%\"}").statusCode()).isEqualTo(422);
        assertThat(send("DELETE", keks + "/" + owner + "-own?permanent=true", null).statusCode()).as("not soft-deleted first").isEqualTo(404);
        assertThat(send("DELETE", keks + "/" + owner + "-own", null).statusCode()).isEqualTo(204);
        assertThat(send("DELETE", keks + "/" + owner + "-own?permanent=true", null).statusCode()).isEqualTo(204);
        assertThat(kek).isNotBlank();
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + path))
                .header("Authorization", admin.basicAuth()).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
