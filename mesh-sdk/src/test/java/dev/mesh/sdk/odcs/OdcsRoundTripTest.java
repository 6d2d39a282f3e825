package dev.mesh.sdk.odcs;

import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.loader.ContractLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every product of the mesh (schemas/products) to ODCS v3.1.0 and back. */
class OdcsRoundTripTest {
    private static final Path PRODUCTS = Path.of("..", "schemas", "products");
    /** The standard's logical types (ODCS v3.1.0, schema properties). */
    private static final Set<String> LOGICAL_TYPES = Set.of("string", "date", "timestamp", "time", "integer", "number",
            "boolean", "object", "array");
    private static final Set<String> QUALITY_TYPES = Set.of("text", "library", "sql", "custom");

    static List<Path> contracts() throws Exception {
        try (Stream<Path> files = Files.walk(PRODUCTS)) {
            return files.filter(f -> f.getFileName().toString().equals("contract.yaml")).sorted().toList();
        }
    }

    static String export(Path contractFile) throws Exception {
        ProductContract c = ContractLoader.load(contractFile);
        String yaml = Files.readString(contractFile);
        String schemaFile = yaml.lines().filter(l -> l.startsWith("schema:")).findFirst().orElseThrow().substring(7).trim();
        return Odcs.export(c, yaml, Files.readString(contractFile.resolveSibling(schemaFile)), "localhost:9092");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyExportHasWhatTheStandardRequiresWithItsTypes() throws Exception {
        assertThat(contracts()).hasSizeGreaterThanOrEqualTo(11);
        for (Path file : contracts()) {
            Map<String, Object> doc = new Yaml().load(export(file));
            assertThat(doc).as(file.toString()).containsEntry("apiVersion", "v3.1.0").containsEntry("kind", "DataContract");
            for (String required : List.of("id", "version", "status")) {
                assertThat(doc.get(required)).as(file + " " + required).isInstanceOf(String.class);
            }
            assertThat(doc.get("description")).isInstanceOf(Map.class);
            Map<String, Object> team = (Map<String, Object>) doc.get("team");
            assertThat((List<Map<String, Object>>) team.get("members")).allSatisfy(m -> assertThat(m).containsKeys("username", "role"));
            assertThat((List<Map<String, Object>>) doc.get("servers")).allSatisfy(s ->
                    assertThat(s).containsEntry("type", "kafka").containsKey("server"));
            List<Map<String, Object>> schema = (List<Map<String, Object>>) doc.get("schema");
            assertThat(schema).singleElement().satisfies(object -> {
                assertThat(object).containsEntry("logicalType", "object").containsKeys("name", "physicalName", "properties");
                checkProperties(file, (List<Map<String, Object>>) object.get("properties"));
                for (Map<String, Object> q : (List<Map<String, Object>>) object.getOrDefault("quality", List.of())) {
                    assertThat(QUALITY_TYPES).as(file + " quality type").contains((String) q.get("type"));
                }
            });
            for (Map<String, Object> sla : (List<Map<String, Object>>) doc.getOrDefault("slaProperties", List.of())) {
                assertThat(sla).containsKeys("property", "value");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkProperties(Path file, List<Map<String, Object>> properties) {
        for (Map<String, Object> p : properties) {
            assertThat(p.get("name")).as(file + " property name").isInstanceOf(String.class);
            assertThat(LOGICAL_TYPES).as(file + " " + p.get("name")).contains((String) p.get("logicalType"));
            assertThat(p.get("required")).isInstanceOf(Boolean.class);
            if (p.get("properties") != null) {
                checkProperties(file, (List<Map<String, Object>>) p.get("properties"));
            }
        }
    }

    @Test
    void importingAnExportReproducesTheContractAndSchema(@TempDir Path into) throws Exception {
        for (Path file : contracts()) {
            ProductContract original = ContractLoader.load(file);
            ProductContract imported = OdcsImport.into(into, export(file), file + ".odcs.yaml");
            assertThat(imported.schema()).as(file.toString()).isEqualTo(original.schema());
            assertThat(imported).usingRecursiveComparison().ignoringFields("origin", "schema").isEqualTo(original);
            Path folder = into.resolve(original.product().domain()).resolve(original.product().name()).resolve("v" + original.major());
            assertThat(Files.readString(folder.resolve("contract.yaml"))).isEqualTo(Files.readString(file));
        }
        assertThatThrownBy(() -> OdcsImport.into(into, export(contracts().get(0)), "again.odcs.yaml"))
                .hasMessageContaining("exists already");
        assertThatThrownBy(() -> OdcsImport.into(into, "- just\n- a list\n", "list.odcs.yaml"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("list.odcs.yaml: not an ODCS v3 document");
        assertThatThrownBy(() -> OdcsImport.into(into, "kind: [unclosed\n", "broken.odcs.yaml"))
                .hasMessageContaining("broken.odcs.yaml: not valid YAML");
    }

    @Test
    void aDocumentFromElsewhereBecomesAProductFromTheStandardsFields(@TempDir Path into) {
        String odcs = """
                apiVersion: v3.1.0
                kind: DataContract
                id: 53581432-6c55-4ba2-a65f-72344a91553a
                version: 1.2.0
                status: active
                domain: seller
                dataProduct: payouts
                description: {purpose: Payouts to sellers.}
                team: {name: seller, members: [{username: seller@shop.example, role: owner}]}
                slaProperties: [{property: latency, value: 15, unit: m}]
                schema:
                  - name: Payout
                    logicalType: object
                    customProperties: [{property: classification, value: confidential}]
                    properties:
                      - {name: payoutId, logicalType: string, required: true, primaryKey: true, description: The id.}
                      - {name: amount, logicalType: number, physicalType: "decimal(12,2)", required: true, description: Paid.}
                      - name: method
                        logicalType: string
                        required: true
                        quality: [{metric: invalidValues, arguments: {validValues: [CARD, TRANSFER]}, mustBe: 0}]
                      - {name: paidAt, logicalType: timestamp, required: true, description: When.}
                      - {name: note, logicalType: string, required: false, description: A note., tags: [PII]}
                    quality:
                      - {name: positive, type: custom, engine: cel, implementation: "message.amount > 0"}
                """;
        ProductContract c = OdcsImport.into(into, odcs, "payouts.odcs.yaml");
        assertThat(c.product().toString()).isEqualTo("seller.payouts");
        assertThat(c.keyField()).isEqualTo("payoutId");
        assertThat(c.classification()).isEqualTo(ProductContract.Classification.CONFIDENTIAL);
        assertThat(c.slo().freshness()).contains(java.time.Duration.ofMinutes(15));
        assertThat(c.quality()).singleElement().satisfies(q -> assertThat(q.expr()).isEqualTo("message.amount > 0"));
        assertThat(c.schema().getField("amount").schema().getLogicalType()).isEqualTo(org.apache.avro.LogicalTypes.decimal(12, 2));
        assertThat(c.schema().getField("method").schema().getEnumSymbols()).containsExactly("CARD", "TRANSFER");
        assertThat(c.schema().getField("note").getObjectProp("confluent:tags")).isEqualTo(List.of("PII"));
        assertThat(into.resolve("seller/payouts/v1/Payout.avsc")).exists();
    }

    /** What a document says is data, never contract text; and an object that holds itself (YAML aliases) is refused. */
    @Test
    void aForeignDocumentCannotWriteTheContractOrLoop(@TempDir Path into) {
        String base = """
                apiVersion: v3.1.0
                kind: DataContract
                id: x
                version: 1.0.0
                status: active
                domain: seller
                dataProduct: sneaky
                schema:
                  - name: Thing
                    customProperties: [{property: classification, value: "internal\\naccess: {readers: ['*']}"}]
                    properties:
                      - {name: id, logicalType: string, required: true, primaryKey: true, description: The id.}
                """;
        assertThatThrownBy(() -> OdcsImport.into(into, base, "sneaky.odcs.yaml")).hasMessageContaining("classification");
        assertThat(into.resolve("seller/sneaky/v1")).doesNotExist();

        String looping = base.replace("dataProduct: sneaky", "dataProduct: loop").replace(
                "    customProperties: [{property: classification, value: \"internal\\naccess: {readers: ['*']}\"}]\n", "") + """
                      - &self {name: self, logicalType: object, description: Itself., properties: [*self]}
                """;
        assertThatThrownBy(() -> OdcsImport.into(into, looping, "loop.odcs.yaml"))
                .hasMessageContaining("nest deeper than 32 levels");
    }
}
