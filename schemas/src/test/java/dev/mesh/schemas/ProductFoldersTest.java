package dev.mesh.schemas;

import dev.mesh.schemas.sales.orders.v1.Order;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.contract.ContractException;
import dev.mesh.sdk.contract.loader.ContractLoader;
import dev.mesh.sdk.codegen.ProductHandles;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Guards the published interfaces: an incompatible edit of a product's schema fails the build, naming the field. */
class ProductFoldersTest {
    private static final Path PRODUCTS = Path.of("products");

    @Test
    void everyProductFolderHasAGeneratedHandleAndOnlyThose() {
        List<String> folders = ProductHandles.folders(PRODUCTS).stream()
                .map(f -> f.contract().product() + " v" + f.contract().major()).toList();
        assertThat(folders).contains("sales.orders v1", "finance.order-settlements v1");
        assertThat(Products.ALL).extracting(Product::toString).containsExactlyInAnyOrderElementsOf(folders);
        assertThat(Product.all()).as("found through the ProductIndex service").containsExactlyInAnyOrderElementsOf(Products.ALL);
        assertThat(SalesProducts.ORDERS.contract().schema().getFullName()).isEqualTo(Order.class.getName());
        assertThat(FinanceProducts.ORDER_SETTLEMENTS.applicationId()).isEqualTo("finance-order-settlements");
        assertThat(FinanceProducts.ORDER_SETTLEMENTS.storeName()).isEqualTo("order-settlements");
    }

    @Test
    void aFolderThatDoesNotMatchItsContractFailsTheBuildNamingBoth(@TempDir Path tmp) throws IOException {
        copy(PRODUCTS.resolve("sales/orders/v1"), tmp.resolve("sales/purchases/v1"));
        copy(PRODUCTS.resolve("sales/customers/v1"), tmp.resolve("sales/customers/v2"));

        assertThatThrownBy(() -> ProductHandles.folders(tmp)).isInstanceOf(ContractException.class)
                .hasMessageContaining("the folder is products/sales/purchases/v1 but the contract says sales.orders version 1.1.3;"
                        + " it belongs in products/sales/orders/v1")
                .hasMessageContaining("the folder is products/sales/customers/v2 but the contract says sales.customers");
    }

    @Test
    void aBrokenContractFailsTheBuildWithFileAndLine(@TempDir Path tmp) throws IOException {
        Path folder = copy(PRODUCTS.resolve("sales/orders/v1"), tmp.resolve("sales/orders/v1"));
        Path contract = folder.resolve("contract.yaml");
        Files.writeString(contract, Files.readString(contract).replace("key: orderId", "key: orderID"));

        assertThatThrownBy(() -> ProductHandles.folders(tmp)).isInstanceOf(ContractException.class)
                .hasMessageContaining(contract + ":5: field 'key'");
    }

    @Test
    void everySchemaIsCompatibleWithTheVersionsReleasedFromItsFolder() {
        List<String> problems = new ArrayList<>();
        for (Path folder : ReleasedSchemas.productFolders(PRODUCTS)) {
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
                .replace("version: 1.1.3", "version: 1.2.0"));

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
        assertThat(piiFields(SalesProducts.CUSTOMERS.contract().schema())).containsExactly("name", "email");
    }

    private static List<String> piiFields(Schema schema) {
        return schema.getFields().stream().filter(f -> f.getObjectProp("confluent:tags") instanceof Collection<?> c && c.contains("PII"))
                .map(Schema.Field::name).toList();
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
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
