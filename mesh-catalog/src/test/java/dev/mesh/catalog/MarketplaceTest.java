package dev.mesh.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.sdk.access.AccessGrant;
import dev.mesh.sdk.access.AccessLedger;
import dev.mesh.sdk.audit.AuditEvent;
import dev.mesh.sdk.audit.AuditLog;
import dev.mesh.testkit.Await;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The marketplace on the secured mesh: finance asks to read sales.customers (confidential, marketing's alone by
 * contract), sales approves and finance reads it, sales revokes and finance's next read fails; a denial provisions
 * nothing; nobody but the owner or an admin decides; each step is in the audit trail once, with who took it.
 */
@ExtendWith(RunningCatalog.Extension.class)
class MarketplaceTest {
    private static final String CUSTOMERS = "sales.customers.v1";

    @Test
    void requestApproveReadRevokeAndTheNextReadFails(RunningCatalog catalog) throws Exception {
        String group = "finance-market-" + UUID.randomUUID().toString().substring(0, 8);
        assertThatThrownBy(() -> readOne(catalog, group)).as("finance may not read it by contract")
                .isInstanceOf(TopicAuthorizationException.class);

        JsonNode request = ok(catalog.post("/api/access/requests",
                "{\"product\": \"sales.customers\", \"reason\": \"churn analysis\"}", "finance"), 201);
        String id = request.path("id").asText();
        assertThat(request.path("principal").asText()).as("for the caller by default").isEqualTo("User:finance");
        assertThat(request.path("status").asText()).isEqualTo("PENDING");
        assertThat(request.path("product").asText()).isEqualTo(CUSTOMERS);

        HttpResponse<String> byMarketing = catalog.post("/api/access/" + id + "/approve", "{}", "marketing");
        assertThat(byMarketing.statusCode()).as(byMarketing.body()).isEqualTo(403);
        assertThat(byMarketing.body()).contains("User:marketing may not decide", "only its owner User:sales");
        assertThat(catalog.post("/api/access/" + id + "/approve", "{}", "finance").statusCode()).as("not for oneself").isEqualTo(403);

        JsonNode approved = ok(catalog.post("/api/access/" + id + "/approve", "{\"note\": \"ok for Q4\"}", "sales"), 200);
        assertThat(approved.path("status").asText()).isEqualTo("APPROVED");
        assertThat(approved.path("decidedBy").asText()).isEqualTo("User:sales");
        try (var finance = consumer(catalog, group)) {
            int[] read = {0};
            Await.until(Duration.ofSeconds(60), "finance reading sales.customers", () -> {
                read[0] += finance.poll(Duration.ofMillis(500)).count();
                return read[0] > 0;
            });
            JsonNode access = catalog.api("/api/products/sales.customers/access");
            assertThat(access.path("grants").findValuesAsText("id")).contains(id);
            assertThat(access.path("readers").toString()).as("by contract").contains("User:sales", "User:marketing")
                    .doesNotContain("User:finance");
            assertThat(catalog.post("/api/access/" + id + "/approve", "{}", "sales").statusCode()).as("decided once").isEqualTo(409);

            ok(catalog.post("/api/access/" + id + "/revoke", "{}", "sales"), 200);
            assertThatThrownBy(() -> Await.until(Duration.ofSeconds(30), "a refused fetch", () -> {
                finance.poll(Duration.ofMillis(200));
                return false;
            })).as("the same consumer's next fetch after the revocation").isInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(financeAcls(catalog)).as("finance's reading ACLs are gone").isEmpty();
        assertThat(catalog.api("/api/products/sales.customers/access").path("grants").findValuesAsText("id")).doesNotContain(id);

        // a new reader of the topic (as after a restart) sees the same history, and the audit trail has each step once
        try (AccessLedger ledger = new AccessLedger(catalog.clientConfig("admin"));
             AuditLog audit = new AuditLog(catalog.clientConfig("admin"))) {
            assertThat(ledger.read().get(id).status()).isEqualTo(AccessGrant.Status.REVOKED);
            List<AuditEvent> steps = audit.read(Optional.of(CUSTOMERS), Instant.now().minus(Duration.ofHours(1))).stream()
                    .filter(e -> id.equals(e.details().get("request"))).toList();
            assertThat(steps).extracting(e -> e.action() + " " + e.principal())
                    .containsExactly("access.request User:finance", "access.approve User:sales", "access.revoke User:sales");
        }
        // the audit trail is the admins'; one product's also its owner's
        assertThat(catalog.get("/api/audit?product=sales.customers", "marketing").statusCode()).isEqualTo(403);
        assertThat(RunningCatalog.json(catalog.get("/api/audit?product=sales.customers", "sales").body()).findValuesAsText("action"))
                .contains("access.revoke");
        assertThat(RunningCatalog.json(catalog.get("/api/audit?product=sales.customers", "admin").body()).findValuesAsText("action"))
                .contains("access.revoke");
    }

    @Test
    void aDenialProvisionsNothingAndBadRequestsNameTheirField(RunningCatalog catalog) throws Exception {
        String id = ok(catalog.post("/api/access/requests", "{\"product\": \"sales.customers\", \"principal\": \"User:finance\","
                + " \"reason\": \"just looking\", \"pii\": true}", "marketing"), 201).path("id").asText();
        JsonNode denied = ok(catalog.post("/api/access/" + id + "/deny", "{\"note\": \"no need\"}", "admin"), 200);
        assertThat(denied.path("status").asText()).isEqualTo("DENIED");
        assertThat(financeAcls(catalog)).isEmpty();
        assertThat(catalog.post("/api/access/" + id + "/revoke", "{}", "sales").statusCode()).isEqualTo(409);

        HttpResponse<String> noReason = catalog.post("/api/access/requests", "{\"product\": \"sales.customers\"}", "finance");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body()).contains("field: reason");
        HttpResponse<String> badPrincipal = catalog.post("/api/access/requests",
                "{\"product\": \"sales.customers\", \"principal\": \"finance\", \"reason\": \"x\"}", "finance");
        assertThat(badPrincipal.statusCode()).isEqualTo(400);
        assertThat(badPrincipal.body()).contains("field: principal", "User:<name>");
        assertThat(catalog.post("/api/access/requests", "{\"product\": \"nope.nothing\", \"reason\": \"x\"}", "finance").statusCode())
                .isEqualTo(404);
        assertThat(catalog.post("/api/access/requests", "[1", "finance").statusCode()).isEqualTo(400);
        HttpResponse<String> noProduct = catalog.post("/api/access/requests", "{\"product\": {}, \"reason\": \"x\"}", "finance");
        assertThat(noProduct.statusCode()).isEqualTo(400);
        assertThat(noProduct.body()).contains("field: product");
        HttpResponse<String> forever = catalog.post("/api/access/requests",
                "{\"product\": \"sales.customers\", \"reason\": \"x\", \"validFor\": \"999999999999d\"}", "finance");
        assertThat(forever.statusCode()).isEqualTo(400);
        assertThat(forever.body()).contains("field: validFor");
        assertThat(catalog.get("/api/audit?since=999999999999d", "admin").statusCode()).as("a span longer than the trail").isEqualTo(200);
        assertThat(catalog.get("/api/audit?since=soon", "admin").statusCode()).isEqualTo(400);
        assertThat(catalog.post("/api/access/ar-nothing/approve", "{}", "sales").statusCode()).isEqualTo(404);
        assertThat(catalog.post("/api/access/" + id + "/bless", "{}", "sales").statusCode()).isEqualTo(404);
    }

    @Test
    void aGrantExpiresAndNoDomainWritesTheAuditTrail(RunningCatalog catalog) throws Exception {
        String id = ok(catalog.post("/api/access/requests", "{\"product\": \"sales.customers\", \"principal\": \"User:finance\","
                + " \"reason\": \"a quick look\", \"validFor\": \"2s\"}", "finance"), 201).path("id").asText();
        JsonNode approved = ok(catalog.post("/api/access/" + id + "/approve", "{}", "sales"), 200);
        assertThat(approved.path("expiresAt").asText()).isNotEmpty();
        assertThat(financeAcls(catalog)).isNotEmpty();
        // the catalog checks every second here (catalog.grant-expiry-check)
        Await.until(Duration.ofSeconds(30), "the grant to expire", () -> catalog.api("/api/access?product=sales.customers")
                .findValues("id").stream().anyMatch(n -> n.asText().equals(id))
                && statusOf(catalog, id).equals("EXPIRED"));
        assertThat(financeAcls(catalog)).as("an expired grant's ACLs are gone").isEmpty();

        Map<String, Object> finance = new HashMap<>(catalog.clientConfig("finance"));
        finance.keySet().removeIf(k -> k.startsWith("schema.registry") || k.startsWith("basic.auth") || k.startsWith("mesh."));
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(finance,
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("_mesh.audit", "forged",
                    "{\"principal\": \"User:sales\"}")).get(30, TimeUnit.SECONDS))
                    .as("a domain cannot add to the audit trail").hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    private static String statusOf(RunningCatalog catalog, String id) {
        for (JsonNode g : catalog.api("/api/access?product=sales.customers")) {
            if (g.path("id").asText().equals(id)) {
                return g.path("status").asText();
            }
        }
        return "";
    }

    /** The records finance reads from sales.customers under a new group, or the authorization error. */
    private static int readOne(RunningCatalog catalog, String group) {
        try (var consumer = consumer(catalog, group)) {
            int[] read = {0};
            Await.until(Duration.ofSeconds(60), "a record of " + CUSTOMERS, () -> {
                read[0] += consumer.poll(Duration.ofMillis(500)).count();
                return read[0] > 0;
            });
            return read[0];
        }
    }

    /** A plain Kafka consumer of sales.customers signed in as finance. */
    private static KafkaConsumer<String, byte[]> consumer(RunningCatalog catalog, String group) {
        Map<String, Object> config = new HashMap<>(catalog.clientConfig("finance"));
        config.keySet().removeIf(k -> k.startsWith("schema.registry") || k.startsWith("basic.auth") || k.startsWith("mesh."));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(CUSTOMERS));
        return consumer;
    }

    /** The ACLs that let finance read sales.customers. */
    private static List<?> financeAcls(RunningCatalog catalog) throws Exception {
        try (Admin admin = Admin.create(catalog.clientConfig("admin"))) {
            return List.copyOf(admin.describeAcls(new AclBindingFilter(
                    new ResourcePatternFilter(ResourceType.TOPIC, CUSTOMERS, PatternType.LITERAL),
                    new AccessControlEntryFilter("User:finance", null, AclOperation.ANY, AclPermissionType.ANY)))
                    .values().get(30, TimeUnit.SECONDS));
        }
    }

    private static JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return RunningCatalog.json(response.body());
    }
}
