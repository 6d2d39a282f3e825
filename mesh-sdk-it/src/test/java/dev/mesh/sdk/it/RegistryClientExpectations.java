package dev.mesh.sdk.it;

import dev.mesh.sdk.Product;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.it.model.TestOrder;
import dev.mesh.sdk.internal.publish.ProductRegistration;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.registry.SchemaRegistryException;
import dev.mesh.sdk.Subscriber;
import dev.mesh.testkit.Await;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the SDK expects of a schema registry, written down once and run against every kind it must work with:
 * ours, and registries that answer differently where Confluent's API leaves room.
 */
abstract class RegistryClientExpectations {

    /** The registry under test, and a Mesh connected to it and to the shared broker. */
    abstract Mesh connect(TestMesh t, String app);

    @Test
    void aProductRegistersForTheFirstTimeOnAnEmptySubject(TestMesh t) {
        ProductContract contract = TestMesh.contract("orders", TestMesh.uniqueDomain());
        try (Mesh mesh = connect(t, "sales-test")) {
            assertThat(mesh.registry().incompatibilities(contract.subject(), ProductRegistration.request(contract)))
                    .as("a subject with nothing registered is compatible with anything").isEmpty();
            int id = register(mesh, contract);
            assertThat(id).isPositive();
            assertThat(register(mesh, contract)).as("registering again").isEqualTo(id);
            assertThat(mesh.registry().schemaById(id)).isEqualTo(contract.schema());
            assertThat(mesh.registry().latest(contract.subject()).id()).isEqualTo(id);
            assertThat(mesh.registry().versions(contract.subject())).containsExactly(1);
        }
    }

    @Test
    void whatIsNotThereIsAnAnswerNotAnError(TestMesh t) {
        ProductContract contract = TestMesh.contract("orders", TestMesh.uniqueDomain());
        try (Mesh mesh = connect(t, "sales-test")) {
            assertThat(mesh.registry().lookup(contract.subject(), ProductRegistration.request(contract))).isEmpty();
            assertThat(mesh.registry().compatibility(contract.subject())).isEmpty();
            assertThatThrownBy(() -> mesh.registry().latest(contract.subject()))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.status()).isEqualTo(404);
                        assertThat(e.errorCode()).isEqualTo(40401);
                    });
        }
    }

    @Test
    void recordsPublishedThroughItAreReadBack(TestMesh t) throws Exception {
        // without PII: a registry with no DEK Registry (the variant) cannot encrypt it, and the SDK refuses to publish it
        ProductContract contract = TestMesh.contract("orders", TestMesh.uniqueDomain(), Map.of(", \"confluent:tags\": [\"PII\"]", ""));
        Set<String> handled = ConcurrentHashMap.newKeySet();
        try (Mesh mesh = connect(t, "sales-test"); Publisher<TestOrder> orders = mesh.publisher(Product.of(contract, TestOrder.class))) {
            orders.publish(SerdeWireFormatTest.order("o-1", "12.50")).get(30, TimeUnit.SECONDS);
            try (Subscriber<TestOrder> subscriber = mesh.subscriber(Product.of(contract, TestOrder.class))
                    .group("g-" + TestMesh.uniqueDomain())
                    .handler(r -> handled.add(r.key() + ":" + r.value().getTotalAmount())).start()) {
                Await.until(Duration.ofSeconds(60), "the order read back", () -> !handled.isEmpty());
            }
            assertThat(handled).containsExactly("o-1:12.50");
            Schema registered = mesh.registry().schemaById(mesh.registry().latest(Naming.valueSubject(contract.topicName())).id());
            assertThat(registered).isEqualTo(contract.schema());
        }
    }

    static Mesh connect(TestMesh t, String app, String registryUrl) {
        Map<String, Object> config = t.config(app);
        config.put("schema.registry.url", registryUrl);
        return Mesh.connect(config);
    }

    /** Registers the contract the way opening a publisher does; returns the schema id. */
    private static int register(Mesh mesh, ProductContract contract) {
        try (var publisher = mesh.publisher(Product.of(contract, org.apache.avro.generic.GenericRecord.class))) {
            return publisher.schemaId();
        }
    }
}
