package dev.mesh.registry;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.mesh.registry.Avro.ORDER_V1;
import static dev.mesh.registry.Avro.ORDER_V1_REFORMATTED;
import static dev.mesh.registry.Avro.ORDER_V2;
import static org.assertj.core.api.Assertions.assertThat;

/** R1, R2, R7 to R10 and the identity semantics: idempotent registration, global ids, per-subject versions. */
class SubjectsApiTest extends RegistryTestBase {

    @Test
    void r1RegistersASchemaAndAnswersOnlyItsId() {
        String s = subject("r1");
        RegistryHttp.Reply r = ok(http.register(s, ORDER_V1));
        JsonNode body = r.json();
        assertThat(body.size()).as(r.text()).isEqualTo(1);
        assertThat(body.get("id").isInt()).isTrue();
        assertThat(body.get("id").asInt()).isPositive();
        assertThat(http.versions(s)).containsExactly(1);
        assertSameSchema(http.get("/subjects/" + s + "/versions/1").json().get("schema").asText(), ORDER_V1);
    }

    @Test
    void r1AcceptsEveryRegistryMediaTypeAndAnswersInV1() {
        String[] types = {"application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json",
                "application/json"};
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            String s = subject("media" + i);
            RegistryHttp.Reply r = http.post("/subjects/" + s + "/versions",
                    RegistryHttp.schemaBody(Avro.distinct("Media", i)), types[i]);
            ok(r);
            ids.add(r.json().get("id").asInt());
            assertThat(http.versions(s)).as(types[i]).containsExactly(1);
        }
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void r1ExplicitAvroSchemaTypeIsTheSameAsOmittingIt() {
        String s = subject("explicit-avro");
        int id = http.registerId(s, RegistryHttp.request(ORDER_V1).put("schemaType", "AVRO"));
        assertThat(http.registerId(s, ORDER_V1)).isEqualTo(id);
        assertThat(http.versions(s)).containsExactly(1);
        JsonNode v1 = ok(http.get("/subjects/" + s + "/versions/1")).json();
        assertThat(v1.has("schemaType")).as("schemaType is omitted for AVRO: %s", v1).isFalse();
    }

    @Test
    void r1IsIdempotentForTheSameCanonicalSchema() {
        String s = subject("idem");
        int id = http.registerId(s, ORDER_V1);
        assertThat(http.registerId(s, ORDER_V1)).isEqualTo(id);
        assertThat(http.registerId(s, ORDER_V1_REFORMATTED)).as("same schema, other formatting").isEqualTo(id);
        assertThat(http.versions(s)).containsExactly(1);

        int id2 = http.registerId(s, ORDER_V2);
        assertThat(id2).isNotEqualTo(id);
        // an older version's schema again: still its existing id, no new version
        assertThat(http.registerId(s, ORDER_V1)).isEqualTo(id);
        assertThat(http.registerId(s, ORDER_V2)).isEqualTo(id2);
        assertThat(http.versions(s)).containsExactly(1, 2);
    }

    @Test
    void r1SameSchemaUnderAnotherSubjectGetsTheSameIdAndItsOwnVersionNumbers() {
        String a = subject("same-a");
        String b = subject("same-b");
        int v1 = http.registerId(a, ORDER_V1);
        int v2 = http.registerId(a, ORDER_V2);
        assertThat(http.registerId(b, ORDER_V2)).isEqualTo(v2);
        assertThat(http.versions(b)).containsExactly(1);
        JsonNode bv1 = ok(http.get("/subjects/" + b + "/versions/1")).json();
        assertThat(bv1.get("id").asInt()).isEqualTo(v2);
        assertThat(bv1.get("version").asInt()).isEqualTo(1);
        assertThat(bv1.get("subject").asText()).isEqualTo(b);
        assertThat(http.registerId(b, ORDER_V1_REFORMATTED)).isEqualTo(v1);
        assertThat(http.versions(b)).containsExactly(1, 2);
        assertThat(ok(http.get("/subjects/" + b + "/versions/2")).json().get("id").asInt()).isEqualTo(v1);
    }

    @Test
    void idsAreGlobalAndIncreaseAcrossSubjects() {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(http.registerId(subject("inc" + i), Avro.distinct("Increasing", i)));
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        int maxId = ok(http.get("/schemas/ids/" + ids.get(4) + "?fetchMaxId=true")).json().get("maxId").asInt();
        assertThat(maxId).isEqualTo(ids.get(4));
    }

    @Test
    void r2LookupAnswersSubjectIdVersionAndSchema() {
        String s = subject("lookup");
        int id1 = http.registerId(s, ORDER_V1);
        int id2 = http.registerId(s, ORDER_V2);
        RegistryHttp.Reply r = ok(http.post("/subjects/" + s, RegistryHttp.schemaBody(ORDER_V1_REFORMATTED)));
        JsonNode body = r.json();
        assertThat(body.get("subject").asText()).isEqualTo(s);
        assertThat(body.get("id").asInt()).isEqualTo(id1);
        assertThat(body.get("version").asInt()).isEqualTo(1);
        assertSameSchema(body.get("schema").asText(), ORDER_V1);
        assertThat(body.has("schemaType")).as("no schemaType for AVRO: %s", body).isFalse();
        assertThat(body.has("references")).as("no references when there are none: %s", body).isFalse();

        JsonNode second = ok(http.post("/subjects/" + s, RegistryHttp.schemaBody(ORDER_V2))).json();
        assertThat(second.get("id").asInt()).isEqualTo(id2);
        assertThat(second.get("version").asInt()).isEqualTo(2);
        assertThat(http.versions(s)).as("lookup registers nothing").containsExactly(1, 2);
    }

    @Test
    void r2LookupErrors() {
        String s = subject("lookup-err");
        http.registerId(s, ORDER_V1);
        assertError(http.post("/subjects/" + subject("nosuch"), RegistryHttp.schemaBody(ORDER_V1)), 404, 40401);
        assertError(http.post("/subjects/" + s, RegistryHttp.schemaBody(ORDER_V2)), 404, 40403);
        assertError(http.post("/subjects/" + s, RegistryHttp.schemaBody("{\"type\":\"nosuch\"}")), 422, 42201);
    }

    @Test
    void r7ListsSubjectsAndFiltersByPrefix() {
        String prefix = subject("pfx") + "-";
        String a = prefix + "a";
        String b = prefix + "b";
        String other = subject("other");
        http.registerId(a, ORDER_V1);
        http.registerId(b, ORDER_V1);
        http.registerId(other, ORDER_V1);
        List<String> all = strings(ok(http.get("/subjects")).json());
        assertThat(all).contains(a, b, other).doesNotHaveDuplicates();
        assertThat(strings(ok(http.get("/subjects?subjectPrefix=" + prefix)).json())).containsExactlyInAnyOrder(a, b);
        assertThat(strings(ok(http.get("/subjects?subjectPrefix=" + subject("none"))).json())).isEmpty();
    }

    @Test
    void r8ListsVersionsInOrder() {
        String s = subject("r8");
        http.registerId(s, ORDER_V1);
        http.registerId(s, ORDER_V2);
        http.registerId(s, Avro.record("shop.Order", Avro.field("orderId", "\"string\""),
                Avro.field("amount", "\"double\""), Avro.field("note", "[\"null\",\"string\"]", "null"),
                Avro.field("channel", "\"string\"", "\"web\"")));
        RegistryHttp.Reply r = ok(http.get("/subjects/" + s + "/versions"));
        assertThat(ints(r.json())).containsExactly(1, 2, 3);
        assertError(http.get("/subjects/" + subject("nosuch") + "/versions"), 404, 40401);
    }

    @Test
    void r9GetsAVersionByNumberLatestOrMinusOne() {
        String s = subject("r9");
        int id1 = http.registerId(s, ORDER_V1);
        int id2 = http.registerId(s, ORDER_V2);
        JsonNode v1 = ok(http.get("/subjects/" + s + "/versions/1")).json();
        assertThat(v1.get("subject").asText()).isEqualTo(s);
        assertThat(v1.get("id").asInt()).isEqualTo(id1);
        assertThat(v1.get("version").asInt()).isEqualTo(1);
        assertSameSchema(v1.get("schema").asText(), ORDER_V1);
        assertThat(v1.has("schemaType")).isFalse();
        for (String latest : List.of("latest", "-1")) {
            JsonNode v = ok(http.get("/subjects/" + s + "/versions/" + latest)).json();
            assertThat(v.get("version").asInt()).as(latest).isEqualTo(2);
            assertThat(v.get("id").asInt()).as(latest).isEqualTo(id2);
            assertSameSchema(v.get("schema").asText(), ORDER_V2);
        }
        assertError(http.get("/subjects/" + s + "/versions/3"), 404, 40402);
        assertError(http.get("/subjects/" + subject("nosuch") + "/versions/1"), 404, 40401);
        assertError(http.get("/subjects/" + subject("nosuch") + "/versions/latest"), 404, 40401);
        assertError(http.get("/subjects/" + s + "/versions/abc"), 422, 42202);
    }

    @Test
    void r10GetsTheRawSchemaOfAVersion() {
        String s = subject("r10");
        http.registerId(s, ORDER_V1);
        http.registerId(s, ORDER_V2);
        RegistryHttp.Reply raw = ok(http.get("/subjects/" + s + "/versions/1/schema"));
        assertThat(raw.json().isObject()).as("raw schema JSON, not wrapped: %s", raw.text()).isTrue();
        assertThat(raw.json().has("schema")).isFalse();
        assertSameSchema(raw.text(), ORDER_V1);
        assertSameSchema(ok(http.get("/subjects/" + s + "/versions/latest/schema")).text(), ORDER_V2);
        assertError(http.get("/subjects/" + s + "/versions/9/schema"), 404, 40402);
        assertError(http.get("/subjects/" + subject("nosuch") + "/versions/1/schema"), 404, 40401);
        assertError(http.get("/subjects/" + s + "/versions/0/schema"), 422, 42202);
    }
}
