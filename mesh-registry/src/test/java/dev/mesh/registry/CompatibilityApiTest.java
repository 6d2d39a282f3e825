package dev.mesh.registry;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mesh.registry.Avro.ORDER_V1;
import static dev.mesh.registry.Avro.arrayOf;
import static dev.mesh.registry.Avro.enumOf;
import static dev.mesh.registry.Avro.field;
import static dev.mesh.registry.Avro.q;
import static dev.mesh.registry.Avro.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * R14, R15 and compatibility on register (409): every level, transitive or not, and messages that name the field
 * and what happened to it.
 */
class CompatibilityApiTest extends RegistryTestBase {
    static final String A_INT = record("c.Rec", field("a", q("int")));
    static final String A_STRING = record("c.Rec", field("a", q("string")));
    static final String A_STRING_B_DEFAULT = record("c.Rec", field("a", q("string")), field("b", q("int"), "0"));
    static final String A_INT_B_DEFAULT = record("c.Rec", field("a", q("int")), field("b", q("int"), "0"));
    static final String A_INT_B_NO_DEFAULT = record("c.Rec", field("a", q("int")), field("b", q("int")));
    static final String B_DEFAULT_ONLY = record("c.Rec", field("b", q("int"), "0"));

    static final String ORDER_CURRENCY_NO_DEFAULT = record("shop.Order", field("orderId", q("string")),
            field("amount", q("double")), field("currency", q("string")));
    static final String ORDER_WITHOUT_AMOUNT = record("shop.Order", field("orderId", q("string")));
    static final String ORDER_STRING_AMOUNT = record("shop.Order", field("orderId", q("string")),
            field("amount", q("string")));

    private static RegistryHttp.Reply check(String subject, String version, String schema, boolean verbose) {
        String path = "/compatibility/subjects/" + subject + "/versions" + (version == null ? "" : "/" + version)
                + (verbose ? "?verbose=true" : "");
        return http.post(path, RegistryHttp.schemaBody(schema));
    }

    private static boolean compatible(String subject, String version, String schema) {
        RegistryHttp.Reply r = ok(check(subject, version, schema, false));
        assertThat(r.json().has("messages")).as("messages only when verbose: %s", r.text()).isFalse();
        return r.json().get("is_compatible").asBoolean();
    }

    private static List<String> messages(String subject, String version, String schema) {
        JsonNode body = ok(check(subject, version, schema, true)).json();
        List<String> messages = strings(body.get("messages"));
        assertThat(body.get("is_compatible").asBoolean()).isEqualTo(messages.isEmpty());
        return messages;
    }

    /** A subject with the given versions, registered under NONE, then set to {@code level}. */
    private static String subjectWith(String level, String... versions) {
        String s = subject("compat");
        setSubjectLevel(http, s, "NONE");
        for (String v : versions) {
            http.registerId(s, v);
        }
        setSubjectLevel(http, s, level);
        return s;
    }

    @Test
    void r14CompatibleAnswersTrueAndVerboseAddsAnEmptyMessageList() {
        String s = subjectWith("BACKWARD", ORDER_V1);
        assertThat(compatible(s, "1", Avro.ORDER_V2)).isTrue();
        JsonNode verbose = ok(check(s, "1", Avro.ORDER_V2, true)).json();
        assertThat(verbose.get("is_compatible").asBoolean()).isTrue();
        assertThat(verbose.get("messages").isArray()).isTrue();
        assertThat(verbose.get("messages").size()).isZero();
        assertThat(http.versions(s)).as("a check registers nothing").containsExactly(1);
    }

    @Test
    void r14IncompatibleAnswersFalseAndVerboseSaysWhy() {
        String s = subjectWith("BACKWARD", ORDER_V1);
        assertThat(compatible(s, "1", ORDER_STRING_AMOUNT)).isFalse();
        assertThat(messages(s, "latest", ORDER_STRING_AMOUNT)).singleElement().asString()
                .contains("field 'amount' changed type from double to string")
                .contains("version 1");
    }

    @Test
    void r14ChecksTheNamedVersionOnlyAndLatestMeansTheLatest() {
        String s = subjectWith("BACKWARD", A_INT, A_STRING);
        assertThat(compatible(s, "1", A_INT)).isTrue();
        assertThat(compatible(s, "2", A_INT)).isFalse();
        assertThat(compatible(s, "latest", A_INT)).isFalse();
        assertThat(compatible(s, "-1", A_INT)).isFalse();
        // a transitive level checks the one named version, not all of them
        setSubjectLevel(http, s, "BACKWARD_TRANSITIVE");
        assertThat(compatible(s, "2", A_STRING_B_DEFAULT)).isTrue();
        assertThat(compatible(s, "1", A_STRING_B_DEFAULT)).isFalse();
    }

    @Test
    void r14Errors() {
        String s = subjectWith("BACKWARD", ORDER_V1);
        assertError(check(subject("nosuch"), "1", ORDER_V1, false), 404, 40401);
        assertError(check(s, "2", ORDER_V1, false), 404, 40402);
        assertError(check(s, "abc", ORDER_V1, false), 422, 42202);
        assertError(check(s, "0", ORDER_V1, false), 422, 42202);
        assertError(check(s, "1", "{\"type\":\"record\",\"name\":\"X\"}", false), 422, 42201);
    }

    @Test
    void r15ChecksAgainstTheVersionsTheLevelNames() {
        String s = subjectWith("BACKWARD", A_INT, A_STRING);
        // compatible with the latest (2), not with 1
        assertThat(compatible(s, null, A_STRING_B_DEFAULT)).isTrue();
        setSubjectLevel(http, s, "BACKWARD_TRANSITIVE");
        assertThat(compatible(s, null, A_STRING_B_DEFAULT)).isFalse();
        assertThat(messages(s, null, A_STRING_B_DEFAULT)).singleElement().asString()
                .contains("field 'a' changed type from int to string").contains("version 1");
        setSubjectLevel(http, s, "NONE");
        assertThat(compatible(s, null, ORDER_V1)).isTrue();
    }

    @Test
    void r15Errors() {
        String s = subjectWith("BACKWARD", ORDER_V1);
        assertError(check(s, null, "not json at all", false), 422, 42201);
        assertError(http.post("/compatibility/subjects/" + s + "/versions",
                RegistryHttp.request(ORDER_V1).put("schemaType", "PROTOBUF").toString()), 422, 42201);
        // nothing to be incompatible with
        assertThat(compatible(subject("empty"), null, ORDER_V1)).isTrue();
    }

    @Test
    void registeringAnIncompatibleSchemaIs409AndRegistersNothing() {
        String s = subject("reg409");
        int id = http.registerId(s, ORDER_V1);
        RegistryHttp.Reply r = http.register(s, ORDER_STRING_AMOUNT);
        assertError(r, 409, 409);
        assertThat(r.message()).contains(s + ": field 'amount' changed type from double to string");
        assertThat(http.versions(s)).containsExactly(1);
        int maxIdBefore = maxId(id);
        assertError(http.register(s, ORDER_STRING_AMOUNT), 409, 409);
        assertThat(maxId(id)).as("no id was handed out").isEqualTo(maxIdBefore);
        assertThat(http.versions(s)).containsExactly(1);
    }

    private static int maxId(int anyId) {
        return ok(http.get("/schemas/ids/" + anyId + "?fetchMaxId=true")).json().get("maxId").asInt();
    }

    @Test
    void backwardRejectsAFieldAddedWithoutDefaultAndAcceptsRemovedFields() {
        String s = subjectWith("BACKWARD", ORDER_V1);
        assertThat(messages(s, null, ORDER_CURRENCY_NO_DEFAULT)).singleElement().asString()
                .contains("field 'currency' was added without a default value")
                .contains("the new schema (reader) cannot read data written with version 1 (writer)");
        assertThat(compatible(s, null, ORDER_WITHOUT_AMOUNT)).isTrue();
        assertThat(http.register(s, ORDER_CURRENCY_NO_DEFAULT).status()).isEqualTo(409);
        http.registerId(s, ORDER_WITHOUT_AMOUNT);
        assertThat(http.versions(s)).containsExactly(1, 2);
    }

    @Test
    void forwardRejectsAFieldRemovedWithoutDefaultAndAcceptsAddedFields() {
        String s = subjectWith("FORWARD", ORDER_V1);
        assertThat(messages(s, null, ORDER_WITHOUT_AMOUNT)).singleElement().asString()
                .contains("field 'amount' was removed, and the old schema has no default value for it")
                .contains("version 1 (reader) cannot read data written with the new schema (writer)");
        assertThat(compatible(s, null, ORDER_CURRENCY_NO_DEFAULT)).isTrue();
        assertError(http.register(s, ORDER_WITHOUT_AMOUNT), 409, 409);
        http.registerId(s, ORDER_CURRENCY_NO_DEFAULT);
        assertThat(http.versions(s)).containsExactly(1, 2);
    }

    @Test
    void fullRejectsBothDirectionsAndAcceptsOptionalFields() {
        String s = subjectWith("FULL", ORDER_V1);
        assertThat(messages(s, null, ORDER_CURRENCY_NO_DEFAULT)).anySatisfy(m ->
                assertThat(m).contains("field 'currency' was added without a default value"));
        assertThat(messages(s, null, ORDER_WITHOUT_AMOUNT)).anySatisfy(m ->
                assertThat(m).contains("field 'amount' was removed"));
        assertThat(compatible(s, null, Avro.ORDER_V2)).isTrue();
        List<String> typeChange = messages(s, null, ORDER_STRING_AMOUNT);
        assertThat(typeChange).anySatisfy(m -> assertThat(m).contains("the new schema (reader)"));
        assertThat(typeChange).anySatisfy(m -> assertThat(m).contains("version 1 (reader)"));
    }

    @Test
    void transitiveLevelsCheckEveryVersionNonTransitiveOnlyTheLatest() {
        // FORWARD: old readers (without default for b) must read new data
        String fwd = subjectWith("FORWARD", A_INT_B_NO_DEFAULT, A_INT_B_DEFAULT);
        assertThat(compatible(fwd, null, A_INT)).as("v2 has a default for b").isTrue();
        setSubjectLevel(http, fwd, "FORWARD_TRANSITIVE");
        assertThat(messages(fwd, null, A_INT)).singleElement().asString()
                .contains("field 'b' was removed").contains("version 1 (reader)");

        String full = subjectWith("FULL", A_INT, A_STRING);
        assertThat(compatible(full, null, A_STRING_B_DEFAULT)).isTrue();
        setSubjectLevel(http, full, "FULL_TRANSITIVE");
        List<String> problems = messages(full, null, A_STRING_B_DEFAULT);
        assertThat(problems).isNotEmpty().allSatisfy(m -> assertThat(m).contains("version 1"));
        assertError(http.register(full, A_STRING_B_DEFAULT), 409, 409);

        String bwd = subjectWith("BACKWARD_TRANSITIVE", A_INT, A_INT_B_DEFAULT);
        assertThat(compatible(bwd, null, B_DEFAULT_ONLY)).isTrue();
    }

    @Test
    void noneChecksNothing() {
        String s = subjectWith("NONE", ORDER_V1);
        assertThat(compatible(s, null, A_STRING)).isTrue();
        assertThat(compatible(s, "1", A_STRING)).isTrue();
        http.registerId(s, A_STRING);
        http.registerId(s, A_INT);
        assertThat(http.versions(s)).containsExactly(1, 2, 3);
    }

    @Test
    void enumSymbolRemovedIsNamed() {
        String v1 = record("shop.Order", field("status", enumOf("shop.Status", "NEW", "PAID", "CANCELLED")));
        String v2 = record("shop.Order", field("status", enumOf("shop.Status", "NEW", "PAID")));
        String s = subjectWith("BACKWARD", v1);
        assertThat(messages(s, null, v2)).singleElement().asString()
                .contains("field 'status'").contains("enum Status").contains("dropped symbols")
                .contains("CANCELLED");
        assertError(http.register(s, v2), 409, 409);
    }

    @Test
    void nestedFieldIsNamedWithItsPath() {
        String line = record("shop.Line", field("sku", q("string")), field("price", q("double")));
        String lineStringPrice = record("shop.Line", field("sku", q("string")), field("price", q("string")));
        String v1 = record("shop.Order", field("orderId", q("string")), field("lines", arrayOf(line)));
        String v2 = record("shop.Order", field("orderId", q("string")), field("lines", arrayOf(lineStringPrice)));
        String s = subjectWith("BACKWARD", v1);
        assertThat(messages(s, null, v2)).singleElement().asString()
                .contains("field 'lines[].price' changed type from double to string");
        RegistryHttp.Reply r = http.register(s, v2);
        assertError(r, 409, 409);
        assertThat(r.message()).contains("field 'lines[].price' changed type from double to string");

        String lineWithQty = record("shop.Line", field("sku", q("string")), field("price", q("double")),
                field("qty", q("int")));
        String v3 = record("shop.Order", field("orderId", q("string")), field("lines", arrayOf(lineWithQty)));
        assertThat(messages(s, null, v3)).singleElement().asString()
                .contains("field 'lines[].qty' was added without a default value");
    }

    @Test
    void typePromotionIsCompatibleUnderBackward() {
        String s = subjectWith("BACKWARD", A_INT);
        assertThat(compatible(s, null, record("c.Rec", field("a", q("long"))))).isTrue();
        assertThat(compatible(s, null, record("c.Rec", field("a", q("boolean"))))).isFalse();
    }
}
