package dev.mesh.sdk.it;

import dev.mesh.registry.EmbeddedRegistry;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.access.MeshAccounts;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.it.model.TestOrder;
import dev.mesh.sdk.security.CredentialStore;
import dev.mesh.sdk.security.MeshCredentials;
import dev.mesh.service.security.MeshSecurity;
import dev.mesh.testkit.EmbeddedKafka;
import org.apache.avro.Schema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.ParsedSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaMetadata;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.RestService;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.entities.Config;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.entities.Rule;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.entities.SchemaReference;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Confluent's own Java registry client (io.confluent 7.5.3, as Flink ships it shaded) against the secured mesh
 * registry, signed in with basic auth as a domain: what a Confluent consumer, a Flink job or a Confluent tool does
 * with our registry. Products are registered by the SDK, so their metadata and rule sets are the mesh's own.
 */
class ConfluentJavaClientTest {
    private static CredentialStore store;
    private static EmbeddedKafka kafka;
    private static EmbeddedRegistry registry;
    private static ProductContract orders;
    private static ProductContract payments;
    private static int ordersId;

    @BeforeAll
    static void startSecuredMesh() throws Exception {
        store = CredentialStore.at(Files.createTempDirectory("confluent-client").resolve("credentials"));
        MeshCredentials admin = MeshAccounts.admin(store);
        orders = TestMesh.contract("orders", TestMesh.uniqueDomain());
        payments = TestMesh.contract("payments", TestMesh.uniqueDomain());
        kafka = EmbeddedKafka.builder().secured(admin.user(), admin.secret()).start();
        try (Admin client = kafka.admin()) {
            MeshAccounts.provision(client, store, List.of(orders, payments));
        }
        Map<String, Object> settings = new HashMap<>(MeshSecurity.settings(store.realm()));
        store.find("registry").orElseThrow().kafkaProperties().forEach((k, v) -> settings.put("kafka." + k, v));
        registry = EmbeddedRegistry.start(kafka.bootstrapServers(), 0, settings);
        Map<String, Object> config = new HashMap<>(store.find(orders.product().domain()).orElseThrow().clientProperties());
        config.putAll(Map.of("bootstrap.servers", kafka.bootstrapServers(), "schema.registry.url", registry.url(), Mesh.APP, "confluent-client",
                Mesh.PROVISION, "apply"));
        try (Mesh mesh = Mesh.connect(config); Publisher<TestOrder> publisher = mesh.publisher(Product.of(orders, TestOrder.class))) {
            publisher.publish(SerdeWireFormatTest.order("o-1", "12.50")).get(30, TimeUnit.SECONDS);
        }
        ordersId = client(orders.product().domain()).getLatestSchemaMetadata(orders.subject()).getId();
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

    /** Confluent's client as its users configure it: basic auth from {@code basic.auth.user.info}. */
    private static CachedSchemaRegistryClient client(String user) {
        MeshCredentials credentials = store.find(user).orElseThrow();
        return new CachedSchemaRegistryClient(registry.url(), 100, Map.of("basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", credentials.user() + ":" + credentials.secret()));
    }

    /** Confluent's REST layer under the client, for what the cached client does not expose (fetchMaxId, lookupDeletedSchema). */
    private static RestService rest(String user) {
        MeshCredentials credentials = store.find(user).orElseThrow();
        RestService rest = new RestService(registry.url());
        rest.configure(Map.of("basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", credentials.user() + ":" + credentials.secret()));
        return rest;
    }

    /** The client carries its own (shaded) Avro; the schema text is what both sides agree on. */
    private static Schema avro(ParsedSchema parsed) {
        return new Schema.Parser().parse(parsed.canonicalString());
    }

    private static AvroSchema confluent(Schema schema) {
        return new AvroSchema(schema.toString());
    }

    @Test
    void aDeserializersLookupsFindTheProductsSchema() throws Exception {
        CachedSchemaRegistryClient reader = client(orders.product().domain());
        assertThat(avro(reader.getSchemaById(ordersId))).as("by id alone, as KafkaAvroDeserializer asks").isEqualTo(orders.schema());
        assertThat(avro(reader.getSchemaBySubjectAndId(orders.subject(), ordersId))).isEqualTo(orders.schema());
        assertThat(avro(reader.getSchemaBySubjectAndId("", ordersId))).as("an empty subject is none").isEqualTo(orders.schema());
        assertThat(reader.getAllSubjects()).contains(orders.subject());
        assertThat(reader.getAllSubjectsById(ordersId)).containsExactly(orders.subject());
        SchemaMetadata latest = reader.getLatestSchemaMetadata(orders.subject());
        assertThat(latest.getVersion()).isEqualTo(1);
        assertThat(reader.getSchemaMetadata(orders.subject(), 1).getId()).isEqualTo(ordersId);
        assertThat(reader.getAllVersions(orders.subject())).containsExactly(1);
        AvroSchema registered = confluent(orders.schema());
        assertThat(reader.getVersion(orders.subject(), registered)).isEqualTo(1);
        assertThat(reader.getId(orders.subject(), registered)).isEqualTo(ordersId);
    }

    /** Confluent's contexts: the default one ({@code :.:}) is the mesh's registry; no other holds a schema. */
    @Test
    void lookupsByIdInTheDefaultContextFindTheSchemaAndOtherContextsHaveNone() throws Exception {
        CachedSchemaRegistryClient reader = client(orders.product().domain());
        assertThat(avro(reader.getSchemaBySubjectAndId(":.:", ordersId))).as("the default context").isEqualTo(orders.schema());
        assertThat(avro(reader.getSchemaBySubjectAndId(":.:" + orders.subject(), ordersId))).as("a subject in it").isEqualTo(orders.schema());
        assertThatThrownBy(() -> reader.getSchemaBySubjectAndId(":.staging:", ordersId))
                .isInstanceOfSatisfying(RestClientException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(40403);
                    assertThat(e.getMessage()).contains("context '.staging'");
                });
        assertThatThrownBy(() -> reader.getSchemaBySubjectAndId(payments.subject(), ordersId)).as("a subject without the id")
                .isInstanceOfSatisfying(RestClientException.class, e -> assertThat(e.getErrorCode()).isEqualTo(40403));
        assertThat(rest(orders.product().domain()).getId(ordersId, null, true).getMaxId()).as("fetchMaxId")
                .isGreaterThanOrEqualTo(ordersId);
    }

    /** normalize=true registers and finds the same schema; a soft-deleted version is found only with lookupDeletedSchema. */
    @Test
    void normalizedRegistrationAndLookupsOfDeletedVersions() throws Exception {
        CachedSchemaRegistryClient admin = client("admin");
        String subject = TestMesh.uniqueDomain() + ".normalized.v1-value";
        String spaced = "{ \"fields\": [ {\"type\": \"string\", \"name\": \"id\"} ], \"name\": \"N\", \"type\": \"record\" }";
        int id = admin.register(subject, new AvroSchema(spaced), true);
        assertThat(admin.register(subject, new AvroSchema("{\"type\":\"record\",\"name\":\"N\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}")))
                .as("the same schema written otherwise, not normalized by the client").isEqualTo(id);
        assertThat(admin.getId(subject, new AvroSchema(spaced), true)).isEqualTo(id);
        assertThat(admin.getVersion(subject, new AvroSchema(spaced), true)).isEqualTo(1);

        assertThat(admin.deleteSchemaVersion(subject, "1", false)).isEqualTo(1);
        RestService rest = rest("admin");
        assertThatThrownBy(() -> rest.lookUpSubjectVersion(spaced, subject, false, false))
                .isInstanceOfSatisfying(RestClientException.class, e -> assertThat(e.getErrorCode()).isIn(40401, 40403));
        var deleted = rest.lookUpSubjectVersion(spaced, subject, false, true);
        assertThat(deleted.getId()).as("lookupDeletedSchema").isEqualTo(id);
        assertThat(deleted.getVersion()).isEqualTo(1);
    }

    @Test
    void theContractsRulesAndMetadataReachTheClientAndRoundTripExactly() throws Exception {
        CachedSchemaRegistryClient owner = client(orders.product().domain());
        SchemaMetadata latest = owner.getLatestSchemaMetadata(orders.subject());
        assertThat(latest.getRuleSet().getDomainRules()).extracting(Rule::getName).containsExactly("positive-total", "has-customer", "encrypt-pii");
        assertThat(latest.getRuleSet().getDomainRules()).extracting(Rule::getType).containsExactly("CEL", "CEL", "ENCRYPT");
        assertThat(latest.getRuleSet().getDomainRules().get(2).getParams()).containsEntry("encrypt.kek.name", orders.product().domain() + "-pii");
        assertThat(latest.getRuleSet().getDomainRules().get(0).getExpr()).as("the form Confluent's executors evaluate as the mesh does")
                .isEqualTo("(message.totalAmount > b'\\x00' && message.totalAmount < b'\\x80')");
        assertThat(latest.getRuleSet().getDomainRules().get(0).getParams()).containsEntry("mesh.expr", "message.totalAmount > 0.0");
        assertThat(latest.getMetadata().getProperties()).containsKey("owner");

        ParsedSchema asServed = owner.getSchemaBySubjectAndId(orders.subject(), ordersId);
        assertThat(owner.register(orders.subject(), asServed)).as("the schema as served, registered again, is the same schema")
                .isEqualTo(ordersId);
        assertThat(owner.getAllVersions(orders.subject())).containsExactly(1);
    }

    @Test
    void compatibilityIsCheckedWithReasons() throws Exception {
        CachedSchemaRegistryClient owner = client(orders.product().domain());
        assertThat(owner.testCompatibility(orders.subject(), confluent(orders.schema()))).isTrue();
        AvroSchema breaking = new AvroSchema(orders.schema().toString().replace("\"name\":\"customerId\",\"type\":\"string\"",
                "\"name\":\"customerId\",\"type\":\"long\""));
        assertThat(owner.testCompatibility(orders.subject(), breaking)).isFalse();
        assertThat(owner.testCompatibilityVerbose(orders.subject(), breaking)).anySatisfy(m -> assertThat(m).contains("customerId"));
    }

    @Test
    void anotherDomainIsRefusedWithConfluentsCodeAndAReason() throws Exception {
        CachedSchemaRegistryClient other = client(payments.product().domain());
        assertThatThrownBy(() -> other.register(orders.subject(), new AvroSchema(orders.schema().toString().replace(
                "\"fields\":[", "\"fields\":[{\"name\":\"forged\",\"type\":\"string\",\"default\":\"x\"},"))))
                .isInstanceOfSatisfying(RestClientException.class, e -> {
                    assertThat(e.getStatus()).isEqualTo(403);
                    assertThat(e.getErrorCode()).isEqualTo(40301);
                    assertThat(e.getMessage()).contains(payments.product().domain()).contains(orders.subject());
                });
        assertThatThrownBy(() -> other.deleteSubject(orders.subject(), false))
                .isInstanceOfSatisfying(RestClientException.class, e -> assertThat(e.getErrorCode()).isEqualTo(40301));
        assertThat(client(orders.product().domain()).getAllVersions(orders.subject())).containsExactly(1);
    }

    /** Deletes as Confluent's client makes them: soft, seen with deleted=true, then permanent; and config per subject. */
    @Test
    void anAdminDeletesSoftlyThenPermanentlyAndSetsCompatibility() throws Exception {
        CachedSchemaRegistryClient admin = client("admin");
        String subject = payments.subject();
        int id = admin.register(subject, confluent(payments.schema()));
        assertThat(admin.getAllVersions(subject)).containsExactly(1);
        admin.updateConfig(subject, new Config("FULL"));
        assertThat(admin.getConfig(subject).getCompatibilityLevel()).isEqualTo("FULL");

        assertThatThrownBy(() -> admin.deleteSchemaVersion(subject, "1", true))
                .as("a permanent delete needs a soft one first")
                .isInstanceOfSatisfying(RestClientException.class, e -> assertThat(e.getErrorCode()).isEqualTo(40407));
        assertThat(admin.deleteSchemaVersion(subject, "1", false)).isEqualTo(1);
        assertThatThrownBy(() -> admin.getAllVersions(subject))
                .isInstanceOfSatisfying(RestClientException.class, e -> assertThat(e.getErrorCode()).isEqualTo(40401));
        assertThat(admin.getAllVersions(subject, true)).as("deleted=true").containsExactly(1);
        assertThat(avro(admin.getSchemaById(id))).as("a soft-deleted schema still decodes old records").isEqualTo(payments.schema());
        assertThat(admin.deleteSchemaVersion(subject, "1", true)).isEqualTo(1);
        assertThatThrownBy(() -> admin.getAllVersions(subject, true)).as("nothing left of the subject, deleted or not")
                .isInstanceOfSatisfying(RestClientException.class, e -> assertThat(e.getErrorCode()).isEqualTo(40401));
    }

    /**
     * A subject set READONLY (by an admin, here) refuses its owner's writes with Confluent's 42205 until it is READWRITE
     * again; another domain may not change it.
     */
    @Test
    void aReadOnlySubjectRefusesWritesUntilItIsWritableAgain() throws Exception {
        CachedSchemaRegistryClient admin = client("admin");
        CachedSchemaRegistryClient owner = client(orders.product().domain());
        AvroSchema widened = confluent(new Schema.Parser().parse(orders.schema().toString().replace("\"fields\":[",
                "\"fields\":[{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"},")));
        assertThat(admin.setMode("READONLY", orders.subject())).isEqualTo("READONLY");
        try {
            assertThat(owner.getMode(orders.subject())).isEqualTo("READONLY");
            assertThatThrownBy(() -> owner.register(orders.subject(), widened))
                    .isInstanceOfSatisfying(RestClientException.class, e -> assertThat(e.getErrorCode()).isEqualTo(42205));
            assertThatThrownBy(() -> client(payments.product().domain()).setMode("READWRITE", orders.subject()))
                    .as("a subject's mode is its domain's or an admin's")
                    .isInstanceOfSatisfying(RestClientException.class, e -> assertThat(e.getErrorCode()).isEqualTo(40301));
        } finally {
            admin.setMode("READWRITE", orders.subject());
        }
        assertThat(owner.getMode(orders.subject())).isEqualTo("READWRITE");
        assertThat(owner.testCompatibility(orders.subject(), widened)).as("and the write it refused is still a compatible one").isTrue();
    }

    /** A schema that references another subject's record, as Confluent's client registers and reads it back. */
    @Test
    void schemaReferencesRegisterAndResolve() throws Exception {
        String domain = orders.product().domain();
        CachedSchemaRegistryClient owner = client(domain);
        String money = "{\"type\":\"record\",\"name\":\"Money\",\"namespace\":\"t\",\"fields\":[{\"name\":\"cents\",\"type\":\"long\"}]}";
        String moneySubject = domain + ".money.v1-value";
        int moneyId = owner.register(moneySubject, new AvroSchema(money));
        String priced = "{\"type\":\"record\",\"name\":\"Priced\",\"namespace\":\"t\",\"fields\":[{\"name\":\"price\",\"type\":\"t.Money\"}]}";
        List<SchemaReference> references = List.of(new SchemaReference("t.Money", moneySubject, 1));
        String pricedSubject = domain + ".priced.v1-value";
        int pricedId = owner.register(pricedSubject, new AvroSchema(priced, references, Map.of("t.Money", money), null));
        assertThat(pricedId).isNotEqualTo(moneyId);

        CachedSchemaRegistryClient reader = client(payments.product().domain());
        ParsedSchema served = reader.getSchemaById(pricedId);
        assertThat(served.references()).extracting(SchemaReference::getName, SchemaReference::getSubject, SchemaReference::getVersion)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("t.Money", moneySubject, 1));
        Schema resolved = new Schema.Parser().parse(((AvroSchema) served).rawSchema().toString());
        assertThat(resolved.getField("price").schema().getField("cents")).as("the reference resolved by the client").isNotNull();
        assertThatThrownBy(() -> owner.deleteSchemaVersion(moneySubject, "1", false)).as("a referenced version stays")
                .isInstanceOfSatisfying(RestClientException.class, e -> assertThat(e.getErrorCode()).isEqualTo(42206));
    }

    @Test
    void whatIsNotThereAnswersWithConfluentsNotFoundCodes() throws Exception {
        CachedSchemaRegistryClient reader = client(orders.product().domain());
        assertThatThrownBy(() -> reader.getLatestSchemaMetadata(orders.subject() + "-nothing"))
                .isInstanceOfSatisfying(RestClientException.class, e -> assertThat(e.getErrorCode()).isEqualTo(40401));
        assertThatThrownBy(() -> reader.getSchemaById(Integer.MAX_VALUE))
                .isInstanceOfSatisfying(RestClientException.class, e -> assertThat(e.getErrorCode()).isEqualTo(40403));
        assertThat(reader.getMode()).isEqualTo("READWRITE");
        assertThat(reader.getConfig(null).getCompatibilityLevel()).isNotBlank();
    }
}
