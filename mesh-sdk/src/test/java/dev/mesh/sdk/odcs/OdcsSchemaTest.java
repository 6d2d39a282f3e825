package dev.mesh.sdk.odcs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every product's export against the standard's own JSON Schema (ODCS v3.1.0, draft 2019-09, kept in test resources). */
class OdcsSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Schema odcs;

    @BeforeAll
    static void loadTheStandard() throws Exception {
        try (InputStream in = OdcsSchemaTest.class.getResourceAsStream("/odcs/odcs-json-schema-v3.1.0.json")) {
            odcs = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09).getSchema(in);
        }
    }

    private static JsonNode tree(String yaml) {
        return JSON.valueToTree(new Yaml().load(yaml));
    }

    private static List<String> problems(JsonNode doc) {
        return odcs.validate(doc).stream().map(Error::toString).toList();
    }

    @Test
    void everyExportValidatesAgainstTheStandardsSchema() throws Exception {
        List<Path> contracts = OdcsRoundTripTest.contracts();
        assertThat(contracts).hasSizeGreaterThanOrEqualTo(11);
        for (Path file : contracts) {
            assertThat(problems(tree(OdcsRoundTripTest.export(file)))).as(file.toString()).isEmpty();
        }
    }

    /** So that the test above cannot pass on a validator that accepts anything: what issue #28 found is refused. */
    @Test
    void theSchemaRefusesWhatEarlierExportsWrote() throws Exception {
        Path orders = Path.of("..", "schemas", "products", "sales", "orders", "v2", "contract.yaml");
        ObjectNode doc = (ObjectNode) tree(OdcsRoundTripTest.export(orders));
        ObjectNode object = (ObjectNode) doc.withArray("schema").get(0);
        object.put("classification", "internal");
        ObjectNode amount = (ObjectNode) object.withArray("properties").get(0);
        amount.putObject("logicalTypeOptions").put("precision", 12).put("scale", 2);
        assertThat(problems(doc)).anySatisfy(p -> assertThat(p).contains("classification"))
                .anySatisfy(p -> assertThat(p).contains("precision"));
    }
}
