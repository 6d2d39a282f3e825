package dev.mesh.sdk.it;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.provision.PlannedChange;
import dev.mesh.sdk.provision.PlannedChange.Kind;
import dev.mesh.sdk.provision.ProvisionPlan;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code mesh plan}/{@code apply} under the CLI: a fresh domain's topics and subject are planned and applied, after
 * which nothing is planned; a setting changed by hand is drift (exit 2) and set back; a contract's own change is a
 * planned change with its consequence; partitions are added only when forced, and never removed.
 */
@ExtendWith(TestMesh.class)
class ProvisionPlanTest {
    @Test
    void aFreshProductIsPlannedAppliedAndThenNothingIsPlanned(TestMesh t) throws Exception {
        String domain = TestMesh.uniqueDomain();
        ProductContract orders = TestMesh.contract("orders", domain);
        try (Mesh mesh = t.connect("provision-test")) {
            ProvisionPlan fresh = plan(mesh, orders);
            assertThat(mine(fresh, domain)).extracting(PlannedChange::kind, PlannedChange::target).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple(Kind.CREATE, domain + ".orders.v1"),
                    org.assertj.core.groups.Tuple.tuple(Kind.CREATE, domain + ".orders.v1.dlq"),
                    org.assertj.core.groups.Tuple.tuple(Kind.CREATE, "_mesh.catalog." + domain),
                    org.assertj.core.groups.Tuple.tuple(Kind.CREATE, "_mesh.grants." + domain),
                    org.assertj.core.groups.Tuple.tuple(Kind.REGISTER, domain + ".orders.v1-value"));
            assertThat(fresh.exitCode()).isEqualTo(1);
            fresh.apply(false);

            ProvisionPlan after = plan(mesh, orders);
            assertThat(after.changes()).as("after apply").isEmpty();
            assertThat(after.exitCode()).isZero();
            assertThat(mesh.admin().describeTopics(List.of(orders.topicName())).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(orders.topicName()).partitions()).hasSize(3);
            assertThat(retention(mesh, orders.topicName())).isEqualTo(Long.toString(7L * 24 * 3600 * 1000));
        }
    }

    @Test
    void aSettingChangedByHandIsDriftAndSetBack(TestMesh t) throws Exception {
        String domain = TestMesh.uniqueDomain();
        ProductContract orders = TestMesh.contract("orders", domain);
        try (Mesh mesh = t.connect("provision-test")) {
            plan(mesh, orders).apply(false);
            setRetention(mesh, orders.topicName(), "3600000");

            ProvisionPlan drifted = plan(mesh, orders);
            assertThat(drifted.changes()).singleElement().satisfies(c -> {
                assertThat(c.kind()).isEqualTo(Kind.DRIFT);
                assertThat(c.line()).isEqualTo("? drift " + orders.topicName()
                        + ": retention.ms is 3600000 on the cluster, declared 604800000: changed by hand; apply sets it back");
            });
            assertThat(drifted.exitCode()).isEqualTo(2);
            drifted.apply(false);
            assertThat(retention(mesh, orders.topicName())).isEqualTo("604800000");
            assertThat(plan(mesh, orders).exitCode()).isZero();
        }
    }

    @Test
    void aContractsOwnChangeIsPlannedWithItsConsequenceAndPartitionsNeedForce(TestMesh t) throws Exception {
        String domain = TestMesh.uniqueDomain();
        try (Mesh mesh = t.connect("provision-test")) {
            plan(mesh, TestMesh.contract("orders", domain)).apply(false);
            ProductContract changed = TestMesh.contract("orders", domain,
                    Map.of("topic: {partitions: 3, retention: 7d}", "topic: {partitions: 6, retention: 1d}"));

            ProvisionPlan plan = plan(mesh, changed);
            assertThat(plan.changes()).as("the new contract is registered too").extracting(PlannedChange::kind)
                    .containsExactlyInAnyOrder(Kind.PARTITIONS, Kind.ALTER, Kind.REGISTER);
            assertThat(plan.changes()).filteredOn(c -> c.kind() == Kind.ALTER).singleElement().extracting(PlannedChange::detail)
                    .isEqualTo("retention.ms is 604800000 on the cluster, the contract changes it to 86400000 (records older than PT24H are deleted)");
            assertThat(plan.changes()).filteredOn(c -> c.kind() == Kind.PARTITIONS).singleElement().extracting(PlannedChange::detail)
                    .asString().startsWith("from 3 to 6 partitions: this re-keys");
            assertThat(plan.exitCode()).isEqualTo(1);

            assertThat(plan.apply(false)).extracting(PlannedChange::kind).containsExactlyInAnyOrder(Kind.ALTER, Kind.REGISTER);
            assertThat(partitions(mesh, changed.topicName())).as("not without --force").isEqualTo(3);
            plan(mesh, changed).apply(true);
            assertThat(partitions(mesh, changed.topicName())).isEqualTo(6);

            ProvisionPlan fewer = plan(mesh, TestMesh.contract("orders", domain,
                    Map.of("topic: {partitions: 3, retention: 7d}", "topic: {partitions: 2, retention: 1d}")));
            assertThat(fewer.changes()).filteredOn(c -> c.kind() == Kind.CONFLICT).singleElement().satisfies(c -> {
                assertThat(c.kind()).isEqualTo(Kind.CONFLICT);
                assertThat(c.detail()).isEqualTo("has 6 partitions, the contract declares 2: Kafka cannot remove partitions");
            });
            assertThat(fewer.exitCode()).isEqualTo(2);
            assertThatThrownBy(() -> fewer.apply(true)).isInstanceOf(MeshException.class).hasMessageContaining("nothing applied");
        }
    }

    /**
     * The mesh creates a product's topics from the plan only: a publisher, a subscriber or a Streams app opening a
     * product nobody applied fails at once, naming the topics and the command; after apply they open and publish.
     */
    @Test
    void anUnprovisionedProductFailsFastNamingMeshApply(TestMesh t) throws Exception {
        String domain = TestMesh.uniqueDomain();
        ProductContract orders = TestMesh.contract("orders", domain);
        Map<String, Object> config = t.config("provision-required");
        config.remove(Mesh.PROVISION);  // the default: require
        try (Mesh mesh = Mesh.connect(config)) {
            var product = dev.mesh.sdk.Product.of(orders, dev.mesh.sdk.it.model.TestOrder.class);
            assertThatThrownBy(() -> mesh.publisher(product)).isInstanceOf(dev.mesh.sdk.errors.ProductNotProvisionedException.class)
                    .hasMessage(orders.product() + " v1 is not provisioned: topics " + orders.topicName() + ", " + orders.dlqTopic()
                            + " do not exist. Run `mesh apply` (`mesh plan` first shows what it creates); `mesh up` does that itself");
            assertThatThrownBy(() -> mesh.subscriber(product).group(domain + "-reader").handler(r -> { }).start())
                    .isInstanceOf(dev.mesh.sdk.errors.ProductNotProvisionedException.class).hasMessageContaining("topic " + orders.topicName() + " does not exist");
            assertThatThrownBy(() -> mesh.streams(dev.mesh.sdk.Product.of(TestMesh.contract("settlements", domain), dev.mesh.sdk.it.model.TestSettlement.class)).stream(product))
                    .isInstanceOf(dev.mesh.sdk.errors.ProductNotProvisionedException.class).hasMessageContaining("mesh apply");
            assertThat(mesh.admin().listTopics().names().get(30, TimeUnit.SECONDS)).as("nothing created on the way")
                    .noneMatch(name -> name.contains(domain + ".orders"));

            plan(mesh, orders).apply(false);
            try (var publisher = mesh.publisher(product)) {
                assertThat(publisher.publish(SerdeWireFormatTest.order("o-1", "5.00")).get(30, TimeUnit.SECONDS).offset()).isZero();
            }
        }
        config.put(Mesh.PROVISION, "sometimes");
        try (Mesh mesh = Mesh.connect(config)) {
            assertThatThrownBy(() -> mesh.publisher(dev.mesh.sdk.Product.of(orders, dev.mesh.sdk.it.model.TestOrder.class)))
                    .hasMessage("mesh.provision is 'sometimes': it is require (the default) or apply");
        }
    }

    private static ProvisionPlan plan(Mesh mesh, ProductContract contract) {
        return ProvisionPlan.of(mesh.admin(), mesh.registry(), List.of(contract), mesh.replicationFactor());
    }

    /** The changes to this domain's topics and subjects (the mesh-wide topics are other tests' too). */
    private static List<PlannedChange> mine(ProvisionPlan plan, String domain) {
        return plan.changes().stream().filter(c -> c.target().contains(domain)).toList();
    }

    private static String retention(Mesh mesh, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return mesh.admin().describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource).get("retention.ms").value();
    }

    private static void setRetention(Mesh mesh, String topic, String millis) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        mesh.admin().incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry("retention.ms", millis),
                AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
    }

    private static int partitions(Mesh mesh, String topic) throws Exception {
        return mesh.admin().describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
    }
}
