package dev.mesh.registry;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.mesh.registry.Avro.ORDER_V1;
import static dev.mesh.registry.Avro.ORDER_V2;
import static dev.mesh.registry.Avro.field;
import static dev.mesh.registry.Avro.q;
import static dev.mesh.registry.Avro.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the registry does with requests it must refuse: the right status and Confluent error code, a message that
 * says what was wrong, never a 500, and nothing half-written.
 */
class BadInputTest extends RegistryTestBase {
    static final int SMALL_LIMIT = 600;

    /** What a client can see of the registry's state: subjects, versions with ids, highest id. */
    private static String snapshot(RegistryHttp h) {
        StringBuilder out = new StringBuilder();
        for (String s : strings(ok(h.get("/subjects?deleted=true")).json())) {
            out.append(s).append(':');
            for (int v : ints(ok(h.get("/subjects/" + s + "/versions?deleted=true")).json())) {
                JsonNode version = ok(h.get("/subjects/" + s + "/versions/" + v + "?deleted=true")).json();
                out.append(v).append('=').append(version.get("id").asInt()).append(',');
            }
            out.append(';');
        }
        return out.toString();
    }

    private static int maxId(RegistryHttp h, int anyId) {
        return ok(h.get("/schemas/ids/" + anyId + "?fetchMaxId=true")).json().get("maxId").asInt();
    }

    /** A subject with one version and its id. */
    private static String subjectWithOneVersion(String prefix) {
        String s = subject(prefix);
        http.registerId(s, ORDER_V1);
        return s;
    }

    @Test
    void malformedJsonIs400OnEveryEndpointWithABody() {
        String s = subjectWithOneVersion("malformed");
        int id = http.registerId(s, ORDER_V1);
        String before = snapshot(http);
        for (String body : List.of("{\"schema\": ", "{schema: 'x'}", "not json", "{\"schema\":\"x\"}}", "[1,2",
                "{\"schema\": \"a\" \"b\"}")) {
            for (String path : List.of("/subjects/" + s + "/versions", "/subjects/" + s,
                    "/compatibility/subjects/" + s + "/versions/latest", "/compatibility/subjects/" + s + "/versions")) {
                RegistryHttp.Reply r = http.post(path, body);
                assertError(r, 400, 400);
            }
            assertError(http.put("/config", body), 400, 400);
            assertError(http.put("/config/" + s, body), 400, 400);
            assertError(http.put("/mode", body), 400, 400);
            assertError(http.put("/mode/" + s, body), 400, 400);
        }
        RegistryHttp.Reply r = http.post("/subjects/" + s + "/versions", "{\"schema\": ");
        assertThat(r.message()).containsIgnoringCase("JSON");
        assertThat(snapshot(http)).isEqualTo(before);
        assertThat(maxId(http, id)).isEqualTo(id);
    }

    @Test
    void aBodyThatIsNotAnObjectOrMissingIs400() {
        String s = subjectWithOneVersion("not-object");
        String before = snapshot(http);
        for (String body : List.of("[]", "\"schema\"", "42", "null", "")) {
            assertError(http.post("/subjects/" + s + "/versions", body), 400, 400);
            assertError(http.post("/subjects/" + s, body), 400, 400);
            assertError(http.put("/config/" + s, body), 400, 400);
        }
        assertThat(snapshot(http)).isEqualTo(before);
    }

    @Test
    void fieldsOfTheWrongShapeAre42201() {
        String s = subjectWithOneVersion("shape");
        String before = snapshot(http);
        for (String body : List.of("{}", "{\"schema\": null}", "{\"schema\": \"\"}", "{\"schema\": 42}",
                "{\"schema\": {\"type\": \"string\"}}", "{\"schema\": \"\\\"string\\\"\", \"references\": \"x\"}",
                "{\"schema\": \"\\\"string\\\"\", \"references\": [{\"name\": \"a\"}]}",
                "{\"schema\": \"\\\"string\\\"\", \"references\": [{\"name\": \"a\", \"subject\": \"b\", \"version\": \"x\"}]}",
                "{\"schema\": \"\\\"string\\\"\", \"metadata\": {\"tags\": 5}}",
                "{\"schema\": \"\\\"string\\\"\", \"ruleSet\": {\"domainRules\": {}}}",
                "{\"schema\": \"\\\"string\\\"\", \"schemaType\": 3}")) {
            RegistryHttp.Reply r = http.post("/subjects/" + s + "/versions", body);
            assertError(r, 422, 42201);
        }
        assertThat(snapshot(http)).isEqualTo(before);
    }

    @Test
    void invalidAvroIs42201WithAvrosReason() {
        String s = subjectWithOneVersion("invalid-avro");
        String before = snapshot(http);
        Map<String, String> invalid = Map.of(
                "{\"type\":\"nosuchtype\"}", "nosuchtype",
                record("x.Rec", field("a", q("x.Undefined"))), "x.Undefined",
                "{\"type\":\"record\",\"name\":\"x.Rec\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"", "",
                record("x.Rec", field("a", q("int"), "\"not an int\"")), "default",
                "{\"type\":\"enum\",\"name\":\"x.E\",\"symbols\":[\"A\",\"A\"]}", "",
                record("x.Rec", field("a", q("int")), field("a", q("string"))), "a",
                "{\"type\":\"record\",\"name\":\"1bad\",\"fields\":[]}", "1bad");
        invalid.forEach((schema, mentioned) -> {
            RegistryHttp.Reply r = http.register(s, schema);
            assertError(r, 422, 42201);
            assertThat(r.message()).as(schema).startsWith("Invalid").contains(mentioned);
            assertError(http.post("/subjects/" + s, RegistryHttp.schemaBody(schema)), 422, 42201);
            assertError(http.post("/compatibility/subjects/" + s + "/versions/latest", RegistryHttp.schemaBody(schema)),
                    422, 42201);
        });
        assertError(http.register(subject("invalid-new"), "{\"type\":\"nosuchtype\"}"), 422, 42201);
        assertThat(snapshot(http)).isEqualTo(before);
    }

    @Test
    void otherSchemaTypesAre42201SayingOnlyAvro() {
        String s = subjectWithOneVersion("types");
        String before = snapshot(http);
        String proto = "syntax = \"proto3\"; message Order { string order_id = 1; }";
        for (String type : List.of("PROTOBUF", "JSON", "XML")) {
            String schema = type.equals("PROTOBUF") ? proto : "{\"type\":\"object\"}";
            RegistryHttp.Reply r = http.register(s, RegistryHttp.request(schema).put("schemaType", type));
            assertError(r, 422, 42201);
            assertThat(r.message()).contains(type).contains("only AVRO");
            assertError(http.register(subject("types-new"), RegistryHttp.request(schema).put("schemaType", type)),
                    422, 42201);
        }
        assertThat(snapshot(http)).isEqualTo(before);
    }

    @Test
    void unknownSubjectAndVersionAre404WithTheirCodes() {
        String s = subjectWithOneVersion("unknown");
        String nosuch = subject("nosuch");
        assertError(http.get("/subjects/" + nosuch + "/versions"), 404, 40401);
        assertError(http.get("/subjects/" + nosuch + "/versions/1"), 404, 40401);
        assertError(http.get("/subjects/" + nosuch + "/versions/latest/schema"), 404, 40401);
        assertError(http.post("/subjects/" + nosuch, RegistryHttp.schemaBody(ORDER_V1)), 404, 40401);
        assertError(http.delete("/subjects/" + nosuch), 404, 40401);
        assertError(http.get("/subjects/" + s + "/versions/2"), 404, 40402);
        assertError(http.get("/subjects/" + s + "/versions/2147483647"), 404, 40402);
        assertError(http.get("/subjects/" + s + "/versions/2/schema"), 404, 40402);
        assertError(http.delete("/subjects/" + s + "/versions/2"), 404, 40402);
        RegistryHttp.Reply r = http.get("/subjects/" + nosuch + "/versions");
        assertThat(r.message()).contains(nosuch);
    }

    @Test
    void badVersionStringsAre42202Everywhere() {
        String s = subjectWithOneVersion("bad-version");
        String before = snapshot(http);
        for (String v : List.of("abc", "0", "-2", "2147483648", "1.5", "latestt", "%20")) {
            String p = "/subjects/" + s + "/versions/" + v;
            RegistryHttp.Reply r = http.get(p);
            assertError(r, 422, 42202);
            assertError(http.get(p + "/schema"), 422, 42202);
            assertError(http.get(p + "/referencedby"), 422, 42202);
            assertError(http.delete(p), 422, 42202);
            assertError(http.delete(p + "?permanent=true"), 422, 42202);
            assertError(http.post("/compatibility" + p, RegistryHttp.schemaBody(ORDER_V2)), 422, 42202);
        }
        assertThat(http.get("/subjects/" + s + "/versions/abc").message()).contains("abc");
        assertThat(snapshot(http)).isEqualTo(before);
    }

    @Test
    void badCompatibilityLevelIs42203AndBadModeIs42204() {
        String s = subjectWithOneVersion("bad-level");
        setSubjectLevel(http, s, "FULL");
        for (String body : List.of("{\"compatibility\":\"FULLY\"}", "{\"compatibility\":\"\"}",
                "{\"compatibility\":null}", "{\"compatibility\":[\"FULL\"]}", "{}")) {
            RegistryHttp.Reply r = http.put("/config/" + s, body);
            assertError(r, 422, 42203);
            assertError(http.put("/config", body), 422, 42203);
        }
        assertThat(http.put("/config/" + s, "{\"compatibility\":\"FULLY\"}").message()).contains("FULLY");
        assertThat(ok(http.get("/config/" + s)).json().get("compatibilityLevel").asText()).isEqualTo("FULL");
        assertThat(ok(http.get("/config")).json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");

        for (String body : List.of("{\"mode\":\"READ_ONLY\"}", "{\"mode\":\"\"}", "{\"mode\":null}", "{}")) {
            assertError(http.put("/mode/" + s, body), 422, 42204);
            assertError(http.put("/mode", body), 422, 42204);
        }
        assertThat(http.put("/mode", "{\"mode\":\"READ_ONLY\"}").message()).contains("READ_ONLY");
        assertError(http.get("/mode/" + s), 404, 40409);
        assertThat(ok(http.get("/mode")).json().get("mode").asText()).isEqualTo("READWRITE");
    }

    @Test
    void readOnlyModeBlocksWritesWith42205AndChangesNothing() {
        String s = subjectWithOneVersion("readonly");
        ok(http.put("/mode/" + s, "{\"mode\":\"READONLY\"}"));
        String before = snapshot(http);
        assertError(http.register(s, ORDER_V2), 422, 42205);
        assertError(http.delete("/subjects/" + s), 422, 42205);
        assertError(http.delete("/subjects/" + s + "/versions/1"), 422, 42205);
        assertError(http.delete("/subjects/" + s + "/versions/latest"), 422, 42205);
        assertThat(snapshot(http)).isEqualTo(before);
        ok(http.delete("/mode/" + s));
        http.registerId(s, ORDER_V2);
        assertThat(http.versions(s)).containsExactly(1, 2);
    }

    @Test
    void anOversizedSchemaIs42209AndChangesNothing() {
        try (EmbeddedRegistry small = start(Map.of("registry.max-schema-chars", SMALL_LIMIT))) {
            RegistryHttp h = new RegistryHttp(small.url());
            String s = subject("big");
            int id = h.registerId(s, ORDER_V1);
            List<String> fields = new ArrayList<>();
            for (int i = 0; fields.stream().mapToInt(String::length).sum() < SMALL_LIMIT; i++) {
                fields.add(field("field" + i, "[\"null\",\"string\"]", "null"));
            }
            String big = record("shop.Order", fields.toArray(String[]::new));
            assertThat(big.length()).isGreaterThan(SMALL_LIMIT);
            String before = snapshot(h);

            RegistryHttp.Reply r = h.register(s, big);
            assertError(r, 422, 42209);
            assertThat(r.message()).contains(String.valueOf(SMALL_LIMIT)).contains(String.valueOf(big.length()));
            assertError(h.register(subject("big-new"), big), 422, 42209);
            assertError(h.post("/subjects/" + s, RegistryHttp.schemaBody(big)), 422, 42209);
            assertError(h.post("/compatibility/subjects/" + s + "/versions", RegistryHttp.schemaBody(big)), 422, 42209);
            assertThat(snapshot(h)).isEqualTo(before);
            assertThat(maxId(h, id)).isEqualTo(id);
            // just under the limit is fine
            assertThat(ORDER_V2.length()).isLessThan(SMALL_LIMIT);
            h.registerId(s, ORDER_V2);
        }
    }

    @Test
    void invalidSubjectNamesAre42208() {
        String before = snapshot(http);
        for (String bad : List.of("%20", "%09", "bad%01subject", "tab%09in")) {
            RegistryHttp.Reply r = http.register(bad, ORDER_V1);
            assertError(r, 422, 42208);
            assertError(http.put("/config/" + bad, "{\"compatibility\":\"FULL\"}"), 422, 42208);
            assertError(http.put("/mode/" + bad, "{\"mode\":\"READONLY\"}"), 422, 42208);
        }
        assertThat(snapshot(http)).isEqualTo(before);
    }

    @Test
    void garbageNeverYieldsA500() {
        String s = subjectWithOneVersion("garbage");
        String before = snapshot(http);
        String deep = "[".repeat(5000) + "]".repeat(5000);
        String deepObject = "{\"schema\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3000) + "}";
        String deepSchema = RegistryHttp.schemaBody("[".repeat(3000) + "\"int\"" + "]".repeat(3000));
        String hugeNumber = "{\"schema\":\"\\\"int\\\"\",\"references\":[{\"name\":\"a\",\"subject\":\"b\",\"version\":"
                + "9".repeat(400) + "}]}";
        List<RegistryHttp.Reply> replies = new ArrayList<>();
        for (String body : List.of(deep, deepObject, deepSchema, hugeNumber, "\u0000", "{\"schema\":\"\\ud800\"}",
                "{\"schema\":\"" + "x".repeat(100_000) + "\"}")) {
            replies.add(http.post("/subjects/" + s + "/versions", body));
            replies.add(http.post("/subjects/" + s, body));
            replies.add(http.post("/compatibility/subjects/" + s + "/versions", body));
            replies.add(http.put("/config/" + s, body));
            replies.add(http.put("/mode/" + s, body));
        }
        for (String query : List.of("?deleted=maybe", "?deleted=1", "?deleted=yes")) {
            replies.add(http.get("/subjects" + query));
            replies.add(http.get("/subjects/" + s + "/versions" + query));
        }
        // an empty flag is the default, a strange prefix matches nothing
        assertThat(ok(http.get("/subjects?deleted=")).json().isArray()).isTrue();
        assertThat(strings(ok(http.get("/subjects?subjectPrefix=%00")).json())).isEmpty();
        replies.add(http.get("/schemas/ids/1?fetchMaxId=yes"));
        replies.add(http.get("/schemas/ids/99999999999"));
        replies.add(http.get("/schemas/ids/1.0"));
        replies.add(http.get("/schemas/ids/" + "9".repeat(50) + "/subjects"));
        replies.add(http.post("/compatibility/subjects/" + s + "/versions?verbose=loud", RegistryHttp.schemaBody(ORDER_V2)));
        replies.add(http.post("/subjects/" + s + "/versions?normalize=perhaps", RegistryHttp.schemaBody(ORDER_V2)));
        replies.add(http.delete("/subjects/" + s + "?permanent=sure"));
        replies.add(http.delete("/subjects/" + s + "/versions/1?permanent=2"));
        replies.add(http.get("/config/" + s + "?defaultToGlobal=nah"));
        replies.add(http.put("/subjects/" + s + "/versions", RegistryHttp.schemaBody(ORDER_V2)));
        replies.add(http.delete("/schemas/ids/1"));
        replies.add(http.post("/subjects/" + s + "/versions", "garbage", "text/plain"));
        replies.add(http.post("/subjects/" + s + "/versions", "<schema/>", "application/xml"));

        for (RegistryHttp.Reply r : replies) {
            assertThat(r.status()).as("a 4xx, no 5xx: %s", r.text()).isBetween(400, 499);
            assertThat(r.contentType()).startsWith(RegistryHttp.V1);
            assertThat(r.json().path("error_code").asInt()).as(r.text()).isPositive();
            assertThat(r.json().path("message").asText()).as(r.text()).isNotBlank();
        }
        assertThat(snapshot(http)).isEqualTo(before);
    }
}
