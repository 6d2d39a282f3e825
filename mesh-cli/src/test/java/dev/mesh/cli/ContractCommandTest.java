package dev.mesh.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mesh contract export} of a product of the mesh, and {@code import} of that document into a new folder. */
class ContractCommandTest {

    @Test
    void anExportedProductImportsAsTheSameFolder(@TempDir Path dir) throws Exception {
        CliRun shown = CliRun.of(List.of("contract", "export", "sales.customers"));
        assertThat(shown.exit()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("apiVersion: v3.1.0", "kind: DataContract", "id: sales.customers.v1",
                "physicalName: sales.customers.v1", "engine: cel", "- PII");

        Path file = dir.resolve("customers.odcs.yaml");
        assertThat(CliRun.of(List.of("contract", "export", "sales.customers", "-o", file.toString())).exit()).isZero();
        CliRun imported = CliRun.of(List.of("contract", "import", file.toString(), "--products", dir.resolve("products").toString()));
        assertThat(imported.exit()).as(imported.err()).isZero();
        Path original = Path.of("..", "schemas", "products", "sales", "customers", "v1");
        Path copy = dir.resolve("products/sales/customers/v1");
        assertThat(Files.readString(copy.resolve("contract.yaml"))).isEqualTo(Files.readString(original.resolve("contract.yaml")));
        assertThat(Files.readString(copy.resolve("Customer.avsc"))).isEqualTo(Files.readString(original.resolve("Customer.avsc")));

        CliRun again = CliRun.of(List.of("contract", "import", file.toString(), "--products", dir.resolve("products").toString()));
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("exists already");
    }

    /** The command README shows, on the standard's Kafka example: the options it lacks, and notes of what changed. */
    @Test
    void theStandardsKafkaExampleImportsWithTheOptionsItLacks(@TempDir Path dir) throws Exception {
        Path example = Path.of("..", "mesh-sdk", "src", "test", "resources", "odcs", "kafka-schema.odcs.yaml");
        String products = dir.resolve("products").toString();
        CliRun refused = CliRun.of(List.of("contract", "import", example.toString(), "--products", products));
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("domain: the document names no domain; pass --domain <domain>");

        CliRun imported = CliRun.of(List.of("contract", "import", example.toString(), "--domain", "shop", "--key", "cust_id",
                "--products", products));
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("note: name: 'Orders Event Stream' became 'orders-event-stream'",
                "note: version: 0.0.1 became 1.0.0", "(shop.orders-event-stream 1.0.0)");
        assertThat(dir.resolve("products/shop/orders-event-stream/v1/contract.yaml")).content().contains("key: cust_id");
    }
}
