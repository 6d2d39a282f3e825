package dev.mesh.registry;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.mesh.registry.Avro.ORDER_V1;
import static dev.mesh.registry.Avro.ORDER_V2;
import static org.assertj.core.api.Assertions.assertThat;

/** R3 to R6 and R23: schemas by global id, schema types, the root, unknown endpoints. */
class SchemasByIdApiTest extends RegistryTestBase {

    @Test
    void r3GetsTheSchemaById() {
        String s = subject("r3");
        int id = http.registerId(s, ORDER_V1);
        RegistryHttp.Reply r = ok(http.get("/schemas/ids/" + id));
        JsonNode body = r.json();
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("an AVRO schema without references or contract: only 'schema'").containsExactly("schema");
        assertSameSchema(body.get("schema").asText(), ORDER_V1);
    }

    @Test
    void r3UnknownIdIs40403() {
        String s = subject("r3-unknown");
        int id = http.registerId(s, Avro.distinct("R3Unknown", 0));
        assertError(http.get("/schemas/ids/" + (id + 1000)), 404, 40403);
        assertError(http.get("/schemas/ids/0"), 404, 40403);
        assertError(http.get("/schemas/ids/-1"), 404, 40403);
        assertError(http.get("/schemas/ids/abc"), 404, 40403);
    }

    @Test
    void r3FetchMaxIdAddsTheHighestId() {
        String s = subject("maxid");
        int first = http.registerId(s, Avro.distinct("MaxId", 0));
        int last = http.registerId(subject("maxid"), Avro.distinct("MaxId", 1));
        JsonNode body = ok(http.get("/schemas/ids/" + first + "?fetchMaxId=true")).json();
        assertThat(body.get("maxId").asInt()).isGreaterThanOrEqualTo(last);
        assertSameSchema(body.get("schema").asText(), Avro.distinct("MaxId", 0));
        assertThat(ok(http.get("/schemas/ids/" + first + "?fetchMaxId=false")).json().has("maxId")).isFalse();
        assertThat(ok(http.get("/schemas/ids/" + first)).json().has("maxId")).isFalse();
    }

    @Test
    void r3WithSubjectFindsTheSchemaOnlyInASubjectThatHasIt() {
        String s = subject("r3-subject");
        int id = http.registerId(s, ORDER_V1);
        assertSameSchema(ok(http.get("/schemas/ids/" + id + "?subject=" + s)).json().get("schema").asText(), ORDER_V1);
        assertError(http.get("/schemas/ids/" + id + "?subject=" + subject("elsewhere")), 404, 40403);
        // Confluent's Java client asks with an empty subject when it has none: that is no subject
        assertSameSchema(ok(http.get("/schemas/ids/" + id + "?subject=")).json().get("schema").asText(), ORDER_V1);
    }

    @Test
    void r4GetsTheRawSchemaById() {
        String s = subject("r4");
        int id = http.registerId(s, ORDER_V1);
        RegistryHttp.Reply raw = ok(http.get("/schemas/ids/" + id + "/schema"));
        assertThat(raw.json().has("schema")).as("raw, not wrapped: %s", raw.text()).isFalse();
        assertSameSchema(raw.text(), ORDER_V1);
        assertError(http.get("/schemas/ids/" + (id + 1000) + "/schema"), 404, 40403);
    }

    @Test
    void r5ListsTheSubjectsAndVersionsOfAnId() {
        String a = subject("r5-a");
        String b = subject("r5-b");
        http.registerId(a, ORDER_V1);
        int id = http.registerId(a, ORDER_V2);
        http.registerId(b, ORDER_V2);

        assertThat(strings(ok(http.get("/schemas/ids/" + id + "/subjects")).json())).containsExactlyInAnyOrder(a, b);
        JsonNode versions = ok(http.get("/schemas/ids/" + id + "/versions")).json();
        List<String> pairs = new ArrayList<>();
        versions.forEach(v -> pairs.add(v.get("subject").asText() + "@" + v.get("version").asInt()));
        assertThat(pairs).containsExactlyInAnyOrder(a + "@2", b + "@1");

        assertError(http.get("/schemas/ids/" + (id + 1000) + "/subjects"), 404, 40403);
        assertError(http.get("/schemas/ids/" + (id + 1000) + "/versions"), 404, 40403);
    }

    @Test
    void r6SchemaTypesAreOnlyAvro() {
        assertThat(strings(ok(http.get("/schemas/types")).json())).containsExactly("AVRO");
    }

    @Test
    void r23RootIsAnEmptyObject() {
        JsonNode root = ok(http.get("/")).json();
        assertThat(root.isObject()).isTrue();
        assertThat(root.size()).isZero();
    }

    @Test
    void unknownEndpointAnswersAJsonError() {
        assertError(http.get("/no/such/endpoint"), 404, 404);
    }
}
