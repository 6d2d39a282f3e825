package dev.mesh.registry;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static dev.mesh.registry.Avro.ORDER_V1;
import static dev.mesh.registry.Avro.ORDER_V2;
import static dev.mesh.registry.Avro.field;
import static dev.mesh.registry.Avro.q;
import static dev.mesh.registry.Avro.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * R12 and R13, soft and permanent, and what deleted versions mean: hidden from listings, latest and compatibility,
 * still readable by id; ids and versions never reused.
 */
class DeletionApiTest extends RegistryTestBase {
    static final String ORDER_V3 = record("shop.Order", field("orderId", q("string")), field("amount", q("double")),
            field("note", "[\"null\",\"string\"]", "null"), field("channel", q("string"), "\"web\""));

    private static int maxId(int anyId) {
        return ok(http.get("/schemas/ids/" + anyId + "?fetchMaxId=true")).json().get("maxId").asInt();
    }

    @Test
    void r12SoftDeleteHidesTheSubjectButKeepsItsSchemasReadableById() {
        String s = subject("soft");
        int id1 = http.registerId(s, ORDER_V1);
        int id2 = http.registerId(s, ORDER_V2);

        assertThat(ints(ok(http.delete("/subjects/" + s)).json())).containsExactly(1, 2);

        assertThat(strings(ok(http.get("/subjects")).json())).doesNotContain(s);
        assertThat(strings(ok(http.get("/subjects?deleted=true")).json())).contains(s);
        assertError(http.get("/subjects/" + s + "/versions"), 404, 40401);
        assertThat(ints(ok(http.get("/subjects/" + s + "/versions?deleted=true")).json())).containsExactly(1, 2);
        // every version deleted: the subject is not found (as R8 says), unless deleted ones are asked for
        assertError(http.get("/subjects/" + s + "/versions/1"), 404, 40401);
        assertError(http.get("/subjects/" + s + "/versions/1/schema"), 404, 40401);
        assertError(http.get("/subjects/" + s + "/versions/latest"), 404, 40401);
        assertError(http.post("/compatibility/subjects/" + s + "/versions/1", RegistryHttp.schemaBody(ORDER_V2)),
                404, 40401);
        JsonNode deletedV1 = ok(http.get("/subjects/" + s + "/versions/1?deleted=true")).json();
        assertThat(deletedV1.get("id").asInt()).isEqualTo(id1);
        assertError(http.post("/subjects/" + s, RegistryHttp.schemaBody(ORDER_V1)), 404, 40401);
        assertThat(ok(http.post("/subjects/" + s + "?deleted=true", RegistryHttp.schemaBody(ORDER_V1))).json()
                .get("version").asInt()).isEqualTo(1);

        // consumers of old data keep working
        assertSameSchema(ok(http.get("/schemas/ids/" + id1)).json().get("schema").asText(), ORDER_V1);
        assertSameSchema(ok(http.get("/schemas/ids/" + id2)).json().get("schema").asText(), ORDER_V2);
        assertThat(strings(ok(http.get("/schemas/ids/" + id2 + "/subjects")).json())).doesNotContain(s);
        assertThat(strings(ok(http.get("/schemas/ids/" + id2 + "/subjects?deleted=true")).json())).contains(s);
    }

    @Test
    void r12Errors() {
        String s = subject("del-err");
        http.registerId(s, ORDER_V1);
        assertError(http.delete("/subjects/" + subject("nosuch")), 404, 40401);
        assertError(http.delete("/subjects/" + s + "?permanent=true"), 404, 40405);
        assertThat(http.versions(s)).as("refused permanent delete changed nothing").containsExactly(1);
        ok(http.delete("/subjects/" + s));
        assertError(http.delete("/subjects/" + s), 404, 40404);
    }

    @Test
    void r12PermanentDeleteAfterSoftDeleteRemovesEverything() {
        String s = subject("perm");
        String name = Avro.uniqueName();
        int id1 = http.registerId(s, Avro.versioned(name, 1));
        int id2 = http.registerId(s, Avro.versioned(name, 2));
        ok(http.delete("/subjects/" + s));
        assertThat(ints(ok(http.delete("/subjects/" + s + "?permanent=true")).json())).containsExactly(1, 2);

        assertThat(strings(ok(http.get("/subjects?deleted=true")).json())).doesNotContain(s);
        assertError(http.get("/subjects/" + s + "/versions?deleted=true"), 404, 40401);
        assertError(http.get("/schemas/ids/" + id1), 404, 40403);
        assertError(http.get("/schemas/ids/" + id2), 404, 40403);
        assertError(http.delete("/subjects/" + s), 404, 40401);
        assertError(http.delete("/subjects/" + s + "?permanent=true"), 404, 40401);
    }

    @Test
    void permanentDeleteKeepsASchemaStillUsedByAnotherSubject() {
        String a = subject("shared-a");
        String b = subject("shared-b");
        int id = http.registerId(a, ORDER_V1);
        assertThat(http.registerId(b, ORDER_V1)).isEqualTo(id);
        ok(http.delete("/subjects/" + a));
        ok(http.delete("/subjects/" + a + "?permanent=true"));
        assertSameSchema(ok(http.get("/schemas/ids/" + id)).json().get("schema").asText(), ORDER_V1);
        assertThat(strings(ok(http.get("/schemas/ids/" + id + "/subjects")).json())).containsExactly(b);
    }

    @Test
    void r13SoftDeletesOneVersion() {
        String s = subject("ver");
        int id1 = http.registerId(s, ORDER_V1);
        int id2 = http.registerId(s, ORDER_V2);
        RegistryHttp.Reply r = ok(http.delete("/subjects/" + s + "/versions/2"));
        assertThat(r.json().isInt()).as(r.text()).isTrue();
        assertThat(r.json().asInt()).isEqualTo(2);

        assertThat(http.versions(s)).containsExactly(1);
        assertThat(ints(ok(http.get("/subjects/" + s + "/versions?deleted=true")).json())).containsExactly(1, 2);
        assertThat(ok(http.get("/subjects/" + s + "/versions/latest")).json().get("id").asInt()).isEqualTo(id1);
        assertError(http.get("/subjects/" + s + "/versions/2"), 404, 40402);
        assertThat(ok(http.get("/subjects/" + s + "/versions/2?deleted=true")).json().get("id").asInt()).isEqualTo(id2);
        assertSameSchema(ok(http.get("/schemas/ids/" + id2)).json().get("schema").asText(), ORDER_V2);
        assertThat(strings(ok(http.get("/subjects")).json())).contains(s);
    }

    @Test
    void r13DeletesLatest() {
        String s = subject("ver-latest");
        http.registerId(s, ORDER_V1);
        http.registerId(s, ORDER_V2);
        assertThat(ok(http.delete("/subjects/" + s + "/versions/latest")).json().asInt()).isEqualTo(2);
        assertThat(ok(http.delete("/subjects/" + s + "/versions/-1")).json().asInt()).isEqualTo(1);
        assertError(http.get("/subjects/" + s + "/versions"), 404, 40401);
    }

    @Test
    void r13Errors() {
        String s = subject("ver-err");
        http.registerId(s, ORDER_V1);
        http.registerId(s, ORDER_V2);
        assertError(http.delete("/subjects/" + subject("nosuch") + "/versions/1"), 404, 40401);
        assertError(http.delete("/subjects/" + s + "/versions/7"), 404, 40402);
        assertError(http.delete("/subjects/" + s + "/versions/abc"), 422, 42202);
        assertError(http.delete("/subjects/" + s + "/versions/0"), 422, 42202);
        assertError(http.delete("/subjects/" + s + "/versions/1?permanent=true"), 404, 40407);
        assertThat(http.versions(s)).containsExactly(1, 2);
        ok(http.delete("/subjects/" + s + "/versions/1"));
        assertError(http.delete("/subjects/" + s + "/versions/1"), 404, 40406);
        assertThat(ok(http.delete("/subjects/" + s + "/versions/1?permanent=true")).json().asInt()).isEqualTo(1);
        assertError(http.get("/subjects/" + s + "/versions/1?deleted=true"), 404, 40402);
        assertError(http.delete("/subjects/" + s + "/versions/1?permanent=true"), 404, 40402);
        assertThat(ints(ok(http.get("/subjects/" + s + "/versions?deleted=true")).json())).containsExactly(2);
    }

    @Test
    void versionsAreNeverReused() {
        String s = subject("reuse-ver");
        http.registerId(s, ORDER_V1);
        http.registerId(s, ORDER_V2);
        ok(http.delete("/subjects/" + s + "/versions/2"));
        ok(http.delete("/subjects/" + s + "/versions/2?permanent=true"));
        http.registerId(s, ORDER_V3);
        assertThat(http.versions(s)).containsExactly(1, 3);

        // even after the whole subject is gone
        ok(http.delete("/subjects/" + s));
        ok(http.delete("/subjects/" + s + "?permanent=true"));
        http.registerId(s, ORDER_V1);
        assertThat(http.versions(s)).containsExactly(4);
    }

    @Test
    void idsAreNeverReusedEvenAfterPermanentDelete() {
        String s = subject("reuse-id");
        String name = Avro.uniqueName();
        int id1 = http.registerId(s, Avro.versioned(name, 1));
        int id2 = http.registerId(s, Avro.versioned(name, 2));
        assertThat(maxId(id2)).isEqualTo(id2);
        ok(http.delete("/subjects/" + s + "/versions/2"));
        ok(http.delete("/subjects/" + s + "/versions/2?permanent=true"));
        assertError(http.get("/schemas/ids/" + id2), 404, 40403);
        assertThat(maxId(id1)).as("the highest id stays handed out").isEqualTo(id2);
        int id3 = http.registerId(s, Avro.versioned(name, 3));
        assertThat(id3).isEqualTo(id2 + 1);
        // the deleted schema again: never an id that stands for another schema
        int again = http.registerId(s, Avro.versioned(name, 2));
        assertThat(again).isNotEqualTo(id3).isNotEqualTo(id1);
        assertSameSchema(ok(http.get("/schemas/ids/" + again)).json().get("schema").asText(), Avro.versioned(name, 2));
        assertSameSchema(ok(http.get("/schemas/ids/" + id3)).json().get("schema").asText(), Avro.versioned(name, 3));
    }

    @Test
    void softDeletedVersionsAreLeftOutOfCompatibilityAndLatest() {
        String s = subject("compat-del");
        String aInt = record("d.Rec", field("a", q("int")));
        String aIntBString = record("d.Rec", field("a", q("int")), field("b", q("string"), "\"x\""));
        String aIntBInt = record("d.Rec", field("a", q("int")), field("b", q("int"), "0"));
        http.registerId(s, aInt);
        http.registerId(s, aIntBString);
        setSubjectLevel(http, s, "BACKWARD_TRANSITIVE");
        assertError(http.register(s, aIntBInt), 409, 409);
        ok(http.delete("/subjects/" + s + "/versions/2"));
        // with version 2 deleted, b:int only meets version 1
        assertThat(ok(http.post("/compatibility/subjects/" + s + "/versions", RegistryHttp.schemaBody(aIntBInt)))
                .json().get("is_compatible").asBoolean()).isTrue();
        assertThat(ok(http.post("/compatibility/subjects/" + s + "/versions/latest", RegistryHttp.schemaBody(aIntBInt)))
                .json().get("is_compatible").asBoolean()).isTrue();
        http.registerId(s, aIntBInt);
        assertThat(http.versions(s)).containsExactly(1, 3);
    }

    @Test
    void reRegisteringASoftDeletedSchemaMakesANewVersionWithTheSameId() {
        String s = subject("revive");
        http.registerId(s, ORDER_V1);
        int id2 = http.registerId(s, ORDER_V2);
        ok(http.delete("/subjects/" + s + "/versions/2"));
        assertThat(http.registerId(s, ORDER_V2)).isEqualTo(id2);
        assertThat(http.versions(s)).containsExactly(1, 3);
        assertThat(ok(http.get("/subjects/" + s + "/versions/3")).json().get("id").asInt()).isEqualTo(id2);

        // a whole subject soft-deleted, then registered again
        ok(http.delete("/subjects/" + s));
        assertThat(http.registerId(s, ORDER_V2)).isEqualTo(id2);
        assertThat(http.versions(s)).containsExactly(4);
    }
}
