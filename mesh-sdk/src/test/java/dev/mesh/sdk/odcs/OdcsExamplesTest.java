package dev.mesh.sdk.odcs;

import dev.mesh.sdk.contract.ProductContract;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The standard's own examples (bitol-io/open-data-contract-standard docs/examples, Apache-2.0, copied unchanged into
 * test resources): those that describe a topic or table with its fields import, with the options a document lacks;
 * the rest are refused naming the field and why.
 */
class OdcsExamplesTest {

    private static String example(String name) throws Exception {
        try (InputStream in = OdcsExamplesTest.class.getResourceAsStream("/odcs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static OdcsImport.Options options(String domain, String key) {
        return new OdcsImport.Options(Optional.ofNullable(domain), Optional.empty(), Optional.ofNullable(key), Optional.empty());
    }

    private static Schema nonNull(Schema s) {
        return s.getType() == Schema.Type.UNION ? s.getTypes().get(1) : s;
    }

    @Test
    void theKafkaTopicExampleImportsWithADomainAndAKey(@TempDir Path into) throws Exception {
        String doc = example("kafka-schema.odcs.yaml");
        assertThatThrownBy(() -> OdcsImport.into(into, doc, "kafka-schema.odcs.yaml", OdcsImport.Options.NONE))
                .hasMessage("kafka-schema.odcs.yaml: domain: the document names no domain; pass --domain <domain>");
        assertThatThrownBy(() -> OdcsImport.into(into, doc, "kafka-schema.odcs.yaml", options("shop", null)))
                .hasMessageContaining("schema[0].properties: no property is the primaryKey")
                .hasMessageContaining("pass --key <property> (one of cust_id, prod_id, qty)");
        assertThatThrownBy(() -> OdcsImport.into(into, doc, "kafka-schema.odcs.yaml", options("shop", "qty")))
                .hasMessageContaining("the key is integer; a product's key is a string");
        assertThat(into).isEmptyDirectory();

        OdcsImport.Imported imported = OdcsImport.into(into, doc, "kafka-schema.odcs.yaml", options("shop", "cust_id"));
        ProductContract c = imported.contract();
        assertThat(c.product().toString()).isEqualTo("shop.orders-event-stream");
        assertThat(c.version().toString()).isEqualTo("1.0.0");
        assertThat(c.keyField()).isEqualTo("cust_id");
        assertThat(c.schema().getName()).isEqualTo("Orders");
        assertThat(c.schema().getField("qty").schema().getType()).isEqualTo(Schema.Type.LONG);
        assertThat(imported.notes()).contains(
                "name: 'Orders Event Stream' became 'orders-event-stream' (lower-case letters and digits, words joined by '-')",
                "version: 0.0.1 became 1.0.0; a product's major is its topic version and starts at 1",
                "team: the document names no owner; owner.contact is 'unknown', set it in contract.yaml");
        assertThat(into.resolve("shop/orders-event-stream/v1/Orders.avsc")).exists();
    }

    @Test
    void everyDataTypeOfTheStandardBecomesItsAvroType(@TempDir Path into) throws Exception {
        OdcsImport.Imported imported = OdcsImport.into(into, example("all-data-types.odcs.yaml"), "all-data-types.odcs.yaml",
                options("payments", "account_id"));
        Schema s = imported.contract().schema();
        assertThat(imported.contract().product().toString()).isEqualTo("payments.my-quantum");
        assertThat(s.getField("account_id").schema().getType()).isEqualTo(Schema.Type.STRING);
        assertThat(nonNull(s.getField("txn_ref_date").schema()).getLogicalType()).isEqualTo(LogicalTypes.date());
        assertThat(nonNull(s.getField("txn_timestamp").schema()).getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
        assertThat(nonNull(s.getField("txn_time").schema()).getLogicalType()).isEqualTo(LogicalTypes.timeMillis());
        assertThat(nonNull(s.getField("amount").schema()).getType()).isEqualTo(Schema.Type.FLOAT);
        assertThat(nonNull(s.getField("age").schema()).getType()).isEqualTo(Schema.Type.LONG);
        assertThat(nonNull(s.getField("is_open").schema()).getType()).isEqualTo(Schema.Type.BOOLEAN);
        assertThat(nonNull(s.getField("latest_txns").schema()).getElementType().getType()).isEqualTo(Schema.Type.STRING);
        assertThat(nonNull(s.getField("customer_details").schema()).getType()).isEqualTo(Schema.Type.MAP);
        assertThat(imported.notes()).contains("name: 'my_quantum' became 'my-quantum' (lower-case letters and digits, words joined by '-')",
                "property account_id: made required, as the product's key",
                "schema[0].properties[8] (latest_txns): an array without items becomes an array of strings",
                "schema[0].properties[9] (customer_details): an object without properties becomes a map of strings");
    }

    @Test
    void theFullExampleImportsItsFirstTableAndSaysWhatItLeft(@TempDir Path into) throws Exception {
        OdcsImport.Imported imported = OdcsImport.into(into, example("full-example.odcs.yaml"), "full-example.odcs.yaml",
                OdcsImport.Options.NONE);
        ProductContract c = imported.contract();
        assertThat(c.product().toString()).isEqualTo("seller.my-quantum");
        assertThat(c.version().toString()).isEqualTo("1.1.0");
        assertThat(c.keyField()).isEqualTo("rcvr_id");
        assertThat(c.owner().contact()).isEqualTo("daustin");
        assertThat(c.slo().freshness()).contains(Duration.ofDays(4));
        assertThat(c.description()).isEqualTo("Views built on top of the seller tables.");
        assertThat(imported.notes()).anySatisfy(n -> assertThat(n).startsWith("schema: 2 objects (tbl, receivers); imported tbl"))
                .anySatisfy(n -> assertThat(n).contains("quality").contains("not carried"));
        assertThatThrownBy(() -> OdcsImport.into(into, example("full-example.odcs.yaml"), "full-example.odcs.yaml",
                new OdcsImport.Options(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("payments"))))
                .hasMessage("full-example.odcs.yaml: --object: 'payments' is not an object of the document; its objects are tbl, receivers");
    }

    @Test
    void topicsDescribedWithoutTheirFieldsAreRefusedNamingWhereTheFieldsAre(@TempDir Path into) throws Exception {
        assertThatThrownBy(() -> OdcsImport.into(into, example("kafka-schemaregistry.odcs.yaml"), "kafka-schemaregistry.odcs.yaml",
                options("shop", "id")))
                .hasMessage("kafka-schemaregistry.odcs.yaml: schema[0].properties: none; the mesh needs the object's fields to write"
                        + " its Avro schema (the document points to https://schema-registry:8081 for them)");
        assertThatThrownBy(() -> OdcsImport.into(into, example("kafka-server.odcs.yaml"), "kafka-server.odcs.yaml", options("shop", "id")))
                .hasMessage("kafka-server.odcs.yaml: schema[0].properties: none; the mesh needs the object's fields to write its Avro schema");
        try (var files = Files.list(into)) {
            assertThat(files).isEmpty();
        }
    }
}
