package dev.mesh.schemas;

import dev.mesh.sdk.contract.ContractLoader;
import dev.mesh.sdk.contract.ProductContract;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Guards the published interfaces: an incompatible edit of a product's schema fails the build, naming the field. */
class ProductFoldersTest {
    private static final Path PRODUCTS = Path.of("products");

    @Test
    void everyProductOfTheDesignHasAFolderWithALoadableContract() {
        List<String> ids = ReleasedSchemas.productFolders(PRODUCTS).stream()
                .map(f -> ContractLoader.load(f.resolve("contract.yaml")).product().toString()).toList();
        assertThat(ids).containsExactlyInAnyOrder("sales.orders", "sales.customers", "finance.payments",
                "finance.order-settlements", "finance.revenue-daily", "marketing.campaigns", "marketing.campaign-touches",
                "marketing.campaign-attribution", "marketing.campaign-performance");
        assertThat(Products.ALL).allSatisfy(resource -> assertThat(ContractLoader.loadResource(resource)).isNotNull());
    }

    @Test
    void everySchemaIsCompatibleWithTheVersionsReleasedFromItsFolder() {
        List<String> problems = new ArrayList<>();
        for (Path folder : ReleasedSchemas.productFolders(PRODUCTS)) {
            assertThat(ReleasedSchemas.released(folder)).as("released versions of " + folder).isNotEmpty();
            problems.addAll(ReleasedSchemas.problems(folder));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void anIncompatibleEditIsCaughtNamingTheFieldAndTheReason(@TempDir Path tmp) throws IOException {
        Path folder = copy(PRODUCTS.resolve("sales/orders/v1"), tmp.resolve("orders"));
        Path schema = folder.resolve("Order.avsc");
        Files.writeString(schema, Files.readString(schema)
                .replace("{\"name\": \"customerId\", \"type\": \"string\"", "{\"name\": \"customerId\", \"type\": \"long\""));
        Files.writeString(folder.resolve("contract.yaml"), Files.readString(folder.resolve("contract.yaml"))
                .replace("version: 1.1.1", "version: 1.2.0"));

        assertThat(ReleasedSchemas.problems(folder)).isNotEmpty()
                .anySatisfy(p -> assertThat(p).contains("field 'customerId' changed type from string to long"));
    }

    @Test
    void editingAReleasedVersionInPlaceIsCaught(@TempDir Path tmp) throws IOException {
        Path folder = copy(PRODUCTS.resolve("sales/orders/v1"), tmp.resolve("orders"));
        Path schema = folder.resolve("Order.avsc");
        Files.writeString(schema, Files.readString(schema).replace("\"name\": \"placedAt\", \"type\"",
                "\"name\": \"note\", \"type\": [\"null\", \"string\"], \"default\": null}, {\"name\": \"placedAt\", \"type\""));
        assertThat(ReleasedSchemas.problems(folder)).anySatisfy(p -> assertThat(p).contains("released version 1.1.0 is immutable"));
    }

    @Test
    void noPersonalDataReachesADerivedProduct() {
        for (Path folder : ReleasedSchemas.productFolders(PRODUCTS)) {
            ProductContract contract = ContractLoader.load(folder.resolve("contract.yaml"));
            if (contract.isDerived()) {
                assertThat(piiFields(contract.schema())).as("PII fields of derived " + contract.product()).isEmpty();
            }
        }
        assertThat(piiFields(ContractLoader.loadResource(Products.SALES_CUSTOMERS).schema())).containsExactly("name", "email");
    }

    private static List<String> piiFields(Schema schema) {
        return schema.getFields().stream().filter(f -> f.getObjectProp("confluent:tags") instanceof Collection<?> c && c.contains("PII"))
                .map(Schema.Field::name).toList();
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to;
    }
}
