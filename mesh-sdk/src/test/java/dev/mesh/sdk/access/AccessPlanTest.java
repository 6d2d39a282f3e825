package dev.mesh.sdk.access;

import dev.mesh.sdk.contract.ContractException;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.loader.ContractLoader;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessPlanTest {
    private static final String SCHEMA = """
            {"type": "record", "name": "R", "fields": [{"name": "id", "type": "string"}]}""";

    private static ProductContract contract(String product, String more) {
        String yaml = "product: " + product + "\nversion: 1.0.0\nowner: {team: t, contact: t@shop.example}\n"
                + "description: A product.\nkey: id\nschema: R.avsc\n" + more;
        return ContractLoader.parse(product + "/contract.yaml", yaml, name -> Optional.of(SCHEMA));
    }

    private static final ProductContract ORDERS = contract("sales.orders", "classification: internal\n");
    private static final ProductContract CUSTOMERS = contract("sales.customers",
            "classification: confidential\naccess:\n  readers: [marketing, \"User:analytics\"]\n");
    private static final ProductContract CAMPAIGNS = contract("marketing.campaigns", "classification: public\n");
    private static final ProductContract SETTLEMENTS = contract("finance.settlements", "inputs: [sales.orders.v1]\n");

    @Test
    void theOwnerWritesItsProductAndDlqAndNoOneElseDoes() {
        Set<AclBinding> acls = AccessPlan.of(List.of(ORDERS, CUSTOMERS, CAMPAIGNS, SETTLEMENTS)).bindings();
        assertThat(acls).contains(allow("User:sales", topic("sales.orders.v1"), AclOperation.WRITE),
                allow("User:sales", topic("sales.orders.v1.dlq"), AclOperation.WRITE),
                allow("User:sales", topic("sales.orders.v1"), AclOperation.CREATE));
        assertThat(acls).filteredOn(b -> b.entry().operation() == AclOperation.WRITE
                        && b.pattern().name().startsWith("sales.orders.v1") && b.pattern().patternType() == PatternType.LITERAL)
                .extracting(b -> b.entry().principal()).containsOnly("User:sales");
    }

    @Test
    void classificationAndAccessDecideWhoReads() {
        Set<AclBinding> acls = AccessPlan.of(List.of(ORDERS, CUSTOMERS, CAMPAIGNS, SETTLEMENTS)).bindings();
        // internal: every domain of the mesh, and the DLQ alike
        assertThat(acls).contains(allow("User:finance", topic("sales.orders.v1"), AclOperation.READ),
                allow("User:marketing", topic("sales.orders.v1.dlq"), AclOperation.READ));
        // confidential: only those named
        assertThat(acls).contains(allow("User:marketing", topic("sales.customers.v1"), AclOperation.READ),
                allow("User:analytics", topic("sales.customers.v1"), AclOperation.READ));
        assertThat(readersOf(acls, "sales.customers.v1")).containsOnly("User:sales", "User:marketing", "User:analytics", "User:catalog");
        // public: any authenticated principal
        assertThat(acls).contains(allow("User:*", topic("marketing.campaigns.v1"), AclOperation.READ));
        // a reader's own groups and its consumer DLQs under the product
        assertThat(acls).contains(allow("User:analytics", new ResourcePattern(ResourceType.GROUP, "analytics-", PatternType.PREFIXED), AclOperation.READ),
                allow("User:finance", new ResourcePattern(ResourceType.TOPIC, "sales.orders.v1.finance-", PatternType.PREFIXED), AclOperation.WRITE));
    }

    @Test
    void aStreamsAppOwnsItsInternalTopicsAndTransactionalIds() {
        Set<AclBinding> acls = AccessPlan.of(List.of(ORDERS, SETTLEMENTS)).bindings();
        assertThat(acls).contains(
                allow("User:finance", new ResourcePattern(ResourceType.TOPIC, "finance-settlements", PatternType.PREFIXED), AclOperation.CREATE),
                allow("User:finance", new ResourcePattern(ResourceType.TRANSACTIONAL_ID, "finance-settlements", PatternType.PREFIXED), AclOperation.WRITE),
                allow("User:finance", new ResourcePattern(ResourceType.GROUP, "finance-settlements", PatternType.PREFIXED), AclOperation.READ));
        assertThat(acls).noneMatch(b -> b.entry().principal().equals("User:sales")
                && b.pattern().resourceType() == ResourceType.TRANSACTIONAL_ID);
    }

    @Test
    void aDerivedProductReadingAnInputItMayNotReadIsAConflict() {
        ProductContract secret = contract("sales.secrets", "classification: restricted\n");
        ProductContract leak = contract("finance.leak", "inputs: [sales.secrets.v1]\n");
        AccessPlan plan = AccessPlan.of(List.of(secret, leak));
        assertThat(plan.conflicts()).singleElement().asString()
                .contains("finance.leak", "sales.secrets.v1", "User:finance", "restricted", "access.readers");
        assertThat(AccessChanges.between(plan, Set.of()).exitCode()).isEqualTo(2);
    }

    @Test
    void drift_missingAndConflictsGiveTheExitCodes() {
        AccessPlan plan = AccessPlan.of(List.of(ORDERS));
        assertThat(AccessChanges.between(plan, Set.of()).exitCode()).isEqualTo(1);
        assertThat(AccessChanges.between(plan, plan.bindings()).exitCode()).isZero();
        AclBinding handAdded = allow("User:mallory", topic("sales.orders.v1"), AclOperation.READ);
        var withDrift = new java.util.HashSet<>(plan.bindings());
        withDrift.add(handAdded);
        AccessChanges drift = AccessChanges.between(plan, withDrift);
        assertThat(drift.exitCode()).isEqualTo(2);
        assertThat(drift.undeclared()).containsExactly(handAdded);
        assertThat(drift.lines()).anyMatch(l -> l.startsWith("? ALLOW User:mallory READ on TOPIC sales.orders.v1"));
        AclBinding deny = new AclBinding(topic("sales.orders.v1"),
                new AccessControlEntry("User:sales", "*", AclOperation.READ, AclPermissionType.DENY));
        var withDeny = new java.util.HashSet<>(plan.bindings());
        withDeny.add(deny);
        assertThat(AccessChanges.between(plan, withDeny).conflicts()).singleElement().asString().contains("DENY User:sales READ");
    }

    @Test
    void aReaderThatIsNeitherADomainNorAPrincipalIsAContractErrorWithItsLine() {
        assertThatThrownBy(() -> contract("sales.x", "access:\n  readers: [Finance Team]\n"))
                .isInstanceOf(ContractException.class)
                .hasMessageContaining("sales.x/contract.yaml:8: field 'access.readers[0]'").hasMessageContaining("'Finance Team'");
    }

    private static Set<String> readersOf(Set<AclBinding> acls, String topic) {
        return acls.stream().filter(b -> b.pattern().equals(topic(topic)) && b.entry().operation() == AclOperation.READ)
                .map(b -> b.entry().principal()).collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void aDeprecatedMajorFedFromItsSuccessorGetsItsBridgeAppsGroupAndTransactions() {
        ProductContract v1 = contract("sales.orders", "deprecated: {successor: sales.orders.v2, sunset: 2027-06-30}\n");
        ProductContract v2 = ContractLoader.parse("sales.orders/v2/contract.yaml", "product: sales.orders\nversion: 2.0.0\n"
                + "owner: {team: t, contact: t@shop.example}\ndescription: A product.\nkey: id\nschema: R.avsc\n"
                + "migration: {from: sales.orders.v1, upgrade: $, downgrade: $}\n", name -> Optional.of(SCHEMA));
        ResourcePattern group = new ResourcePattern(ResourceType.GROUP, "sales-orders", PatternType.PREFIXED);
        ResourcePattern transactions = new ResourcePattern(ResourceType.TRANSACTIONAL_ID, "sales-orders", PatternType.PREFIXED);

        assertThat(AccessPlan.of(List.of(v1, v2)).bindings()).contains(allow("User:sales", group, AclOperation.READ),
                allow("User:sales", transactions, AclOperation.WRITE));
        assertThat(AccessPlan.of(List.of(v1)).bindings()).as("no successor migrating from it: no bridge")
                .noneMatch(b -> b.pattern().equals(group));
    }

    @Test
    void anActiveGrantMakesItsPrincipalAReaderAndAnEndedOneDoesNot() {
        java.time.Instant now = java.time.Instant.parse("2026-12-01T10:00:00Z");
        AccessGrant approved = new AccessGrant("ar-1", "sales.customers.v1", "User:finance", "churn", true,
                AccessGrant.Status.APPROVED, "User:finance", now, "User:sales", now, now.plusSeconds(3600), null);
        AclBinding financeReads = allow("User:finance", topic("sales.customers.v1"), AclOperation.READ);

        assertThat(AccessPlan.of(List.of(ORDERS, CUSTOMERS), List.of(approved)).bindings()).contains(financeReads,
                allow("User:finance", topic("sales.customers.v1.dlq"), AclOperation.READ));
        assertThat(AccessPlan.of(List.of(ORDERS, CUSTOMERS)).bindings()).doesNotContain(financeReads);
        assertThat(approved.isActive(now.plusSeconds(3599))).isTrue();
        assertThat(approved.isActive(now.plusSeconds(3600))).as("expired").isFalse();
        assertThat(approved.decided(AccessGrant.Status.REVOKED, "User:sales", now, "done").isActive(now)).isFalse();
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static AclBinding allow(String principal, ResourcePattern pattern, AclOperation operation) {
        return new AclBinding(pattern, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
