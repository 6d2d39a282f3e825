package dev.mesh.cli;

import dev.mesh.sdk.Product;
import dev.mesh.sdk.access.AccessPlan;
import dev.mesh.sdk.security.MeshCredentials;
import dev.mesh.testkit.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.sdk.access.AccessGrant;
import dev.mesh.sdk.access.AccessLedger;
import dev.mesh.sdk.access.ClusterAcls;
import dev.mesh.sdk.contract.ProductContract;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mesh access plan|apply} against a fresh broker with SASL/SCRAM and the standard authorizer. */
class AccessCommandTest {

    @Test
    void planListsWhatTheContractsImplyApplyMakesItAndAHandAddedAclIsDrift(@TempDir Path dir) throws Exception {
        MeshCredentials admin = new MeshCredentials("admin", UUID.randomUUID().toString().replace("-", ""));
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().secured(admin.user(), admin.secret()).start()) {
            Path config = dir.resolve("admin.properties");
            List<String> lines = new ArrayList<>();
            admin.kafkaProperties().forEach((k, v) -> lines.add(k + "=" + v));
            Files.write(config, lines);
            int declared = AccessPlan.of(Product.all().stream().map(Product::contract).toList()).bindings().size();

            CliRun fresh = mesh(kafka, config, "access", "plan");
            assertThat(fresh.exit()).as(fresh.err()).isEqualTo(1);
            assertThat(fresh.out().lines().filter(l -> l.startsWith("+ "))).hasSize(declared);
            assertThat(fresh.out()).contains("+ ALLOW User:sales WRITE on TOPIC sales.orders.v1\n",
                    "+ ALLOW User:finance READ on TOPIC sales.orders.v1\n", "+ ALLOW User:marketing READ on TOPIC sales.customers.v1\n",
                    "+ ALLOW User:finance WRITE on TRANSACTIONAL_ID finance-order-settlements*\n",
                    "plan: " + declared + " to add, 0 declared by no contract, 0 conflicts");
            assertThat(fresh.out()).doesNotContain("User:finance READ on TOPIC sales.customers.v1\n");

            assertThat(mesh(kafka, config, "access", "apply").exit()).isZero();
            CliRun applied = mesh(kafka, config, "access", "plan");
            assertThat(applied.exit()).as(applied.out()).isZero();
            assertThat(applied.out()).contains("plan: 0 to add, 0 declared by no contract, 0 conflicts");

            AclBinding handAdded = new AclBinding(new ResourcePattern(ResourceType.TOPIC, "sales.orders.v1", PatternType.LITERAL),
                    new AccessControlEntry("User:mallory", "*", AclOperation.READ, AclPermissionType.ALLOW));
            try (Admin client = kafka.admin()) {
                client.createAcls(List.of(handAdded)).all().get(30, TimeUnit.SECONDS);
            }
            CliRun drift = mesh(kafka, config, "access", "plan");
            assertThat(drift.exit()).isEqualTo(2);
            assertThat(drift.out()).contains("? ALLOW User:mallory READ on TOPIC sales.orders.v1  (declared by no contract)");

            // a grant of the marketplace is no drift: a prune keeps it
            java.time.Instant now = java.time.Instant.now();
            ProductContract customers = SalesProducts.CUSTOMERS.contract();
            try (Admin client = kafka.admin(); AccessLedger ledger = new AccessLedger(clientOf(admin, kafka))) {
                AccessLedger.ensureTopic(client, (short) 1);
                ledger.write(new AccessGrant("ar-test", customers.topicName(), "User:finance", "test", false,
                        AccessGrant.Status.APPROVED, "User:finance", now, "User:sales", now, null, null));
                ClusterAcls.create(client, AccessPlan.reading("User:finance", customers));
            }
            assertThat(mesh(kafka, config, "access", "apply", "--prune").exit()).isZero();
            CliRun kept = mesh(kafka, config, "access", "plan");
            assertThat(kept.exit()).as(kept.out()).isZero();
            try (Admin client = kafka.admin()) {
                assertThat(ClusterAcls.current(client)).as("the grant's ACLs survive the prune")
                        .containsAll(AccessPlan.reading("User:finance", customers)).doesNotContain(handAdded);
            }

            JsonNode trail = mesh(kafka, config, "audit", "--json").json();
            List<String> applies = new ArrayList<>();
            trail.forEach(e -> {
                if (e.path("action").asText().equals("acl.apply")) {
                    applies.add(e.path("principal").asText() + " added=" + e.path("details").path("added").asInt()
                            + " removed=" + e.path("details").path("removed").asInt());
                }
            });
            assertThat(applies).as("each apply that changed something, once").containsExactly(
                    "User:admin added=" + declared + " removed=0", "User:admin added=0 removed=1");
        }
    }

    private static java.util.Map<String, Object> clientOf(MeshCredentials admin, EmbeddedKafka kafka) {
        java.util.Map<String, Object> p = new java.util.HashMap<>(admin.kafkaProperties());
        p.put("bootstrap.servers", kafka.bootstrapServers());
        return p;
    }

    private static CliRun mesh(EmbeddedKafka kafka, Path config, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap", kafka.bootstrapServers(), "--config", config.toString()));
        return CliRun.of(all);
    }
}
