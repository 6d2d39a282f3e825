package dev.mesh.registry;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mesh.registry.Avro.ORDER_V1;
import static dev.mesh.registry.Avro.field;
import static dev.mesh.registry.Avro.q;
import static dev.mesh.registry.Avro.record;
import static org.assertj.core.api.Assertions.assertThat;

/** R16 to R22: global and subject compatibility levels and modes, and what they do to writes. */
class ConfigAndModeApiTest extends RegistryTestBase {
    static final List<String> LEVELS = List.of("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD",
            "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");
    static final String ORDER_STRING_AMOUNT = record("shop.Order", field("orderId", q("string")),
            field("amount", q("string")));
    static final String ORDER_BOOLEAN_AMOUNT = record("shop.Order", field("orderId", q("string")),
            field("amount", q("boolean")));

    private static String globalLevel(RegistryHttp h) {
        RegistryHttp.Reply r = ok(h.get("/config"));
        assertThat(r.json().size()).as(r.text()).isEqualTo(1);
        return r.json().get("compatibilityLevel").asText();
    }

    @Test
    void r16GlobalLevelDefaultsToBackward() {
        withRegistry(h -> assertThat(globalLevel(h)).isEqualTo("BACKWARD"));
    }

    @Test
    void r17SetsTheGlobalLevelToEachLevel() {
        withRegistry(h -> {
            for (String level : LEVELS) {
                RegistryHttp.Reply r = ok(h.put("/config", "{\"compatibility\":\"" + level + "\"}"));
                assertThat(r.json().get("compatibility").asText()).isEqualTo(level);
                assertThat(globalLevel(h)).isEqualTo(level);
            }
            assertError(h.put("/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
            assertError(h.put("/config", "{\"compatibility\":7}"), 422, 42203);
            assertError(h.put("/config", "{\"level\":\"FULL\"}"), 422, 42203);
            assertThat(globalLevel(h)).as("a rejected level changes nothing").isEqualTo("FULL_TRANSITIVE");
        });
    }

    @Test
    void r18SubjectLevelIs40408UntilSetUnlessDefaultToGlobal() {
        String s = subject("r18");
        http.registerId(s, ORDER_V1);
        assertError(http.get("/config/" + s), 404, 40408);
        assertError(http.get("/config/" + s + "?defaultToGlobal=false"), 404, 40408);
        assertThat(ok(http.get("/config/" + s + "?defaultToGlobal=true")).json().get("compatibilityLevel").asText())
                .isEqualTo(globalLevel(http));
        setSubjectLevel(http, s, "FULL");
        assertThat(ok(http.get("/config/" + s)).json().get("compatibilityLevel").asText()).isEqualTo("FULL");
        assertThat(ok(http.get("/config/" + s + "?defaultToGlobal=true")).json().get("compatibilityLevel").asText())
                .isEqualTo("FULL");
    }

    @Test
    void r19SetsASubjectLevelEvenBeforeTheSubjectExists() {
        String s = subject("r19");
        for (String level : LEVELS) {
            RegistryHttp.Reply r = ok(http.put("/config/" + s, "{\"compatibility\":\"" + level + "\"}"));
            assertThat(r.json().get("compatibility").asText()).isEqualTo(level);
            assertThat(ok(http.get("/config/" + s)).json().get("compatibilityLevel").asText()).isEqualTo(level);
        }
        assertError(http.put("/config/" + s, "{\"compatibility\":\"BACKWARDS\"}"), 422, 42203);
        assertThat(ok(http.get("/config/" + s)).json().get("compatibilityLevel").asText()).isEqualTo("FULL_TRANSITIVE");
    }

    @Test
    void r20DeletesASubjectLevelAndFallsBackToGlobal() {
        String s = subject("r20");
        http.registerId(s, ORDER_V1);
        setSubjectLevel(http, s, "NONE");
        http.registerId(s, ORDER_STRING_AMOUNT);
        RegistryHttp.Reply deleted = ok(http.delete("/config/" + s));
        assertThat(deleted.json().get("compatibilityLevel").asText()).isEqualTo("NONE");
        assertError(http.get("/config/" + s), 404, 40408);
        assertError(http.delete("/config/" + s), 404, 40401);
        // back to the global BACKWARD: a type change is refused now
        assertError(http.register(s, ORDER_BOOLEAN_AMOUNT), 409, 409);
        assertThat(http.versions(s)).containsExactly(1, 2);
    }

    @Test
    void r21DeletesTheGlobalLevelBackToTheDefault() {
        withRegistry(h -> {
            ok(h.put("/config", "{\"compatibility\":\"FULL\"}"));
            RegistryHttp.Reply r = ok(h.delete("/config"));
            assertThat(r.json().get("compatibilityLevel").asText()).isEqualTo("FULL");
            assertThat(globalLevel(h)).isEqualTo("BACKWARD");
        });
    }

    @Test
    void subjectLevelOverridesGlobalAndDeletingItFallsBack() {
        withRegistry(h -> {
            ok(h.put("/config", "{\"compatibility\":\"NONE\"}"));
            String strict = subject("strict");
            String loose = subject("loose");
            h.registerId(strict, ORDER_V1);
            h.registerId(loose, ORDER_V1);
            setSubjectLevel(h, strict, "BACKWARD");
            assertError(h.register(strict, ORDER_STRING_AMOUNT), 409, 409);
            h.registerId(loose, ORDER_STRING_AMOUNT);
            assertThat(h.versions(strict)).containsExactly(1);
            assertThat(h.versions(loose)).containsExactly(1, 2);

            ok(h.delete("/config/" + strict));
            h.registerId(strict, ORDER_STRING_AMOUNT);
            assertThat(h.versions(strict)).containsExactly(1, 2);

            // the other way round: a NONE subject under a strict global level
            ok(h.put("/config", "{\"compatibility\":\"FULL\"}"));
            setSubjectLevel(h, loose, "NONE");
            h.registerId(loose, ORDER_BOOLEAN_AMOUNT);
            assertError(h.register(strict, ORDER_BOOLEAN_AMOUNT), 409, 409);
            assertThat(h.versions(loose)).containsExactly(1, 2, 3);
            assertThat(h.versions(strict)).containsExactly(1, 2);
        });
    }

    @Test
    void r22GlobalModeDefaultsToReadWriteAndTakesEveryMode() {
        withRegistry(h -> {
            assertThat(ok(h.get("/mode")).json().get("mode").asText()).isEqualTo("READWRITE");
            for (String mode : List.of("READONLY", "READONLY_OVERRIDE", "IMPORT", "READWRITE")) {
                assertThat(ok(h.put("/mode", "{\"mode\":\"" + mode + "\"}")).json().get("mode").asText()).isEqualTo(mode);
                assertThat(ok(h.get("/mode")).json().get("mode").asText()).isEqualTo(mode);
            }
            assertError(h.put("/mode", "{\"mode\":\"WRITEONLY\"}"), 422, 42204);
            assertError(h.put("/mode", "{\"mode\":1}"), 422, 42204);
            assertError(h.put("/mode", "{}"), 422, 42204);
            assertThat(ok(h.get("/mode")).json().get("mode").asText()).isEqualTo("READWRITE");
        });
    }

    @Test
    void r22SubjectModeSetGetAndDelete() {
        String s = subject("mode");
        assertError(http.get("/mode/" + s), 404, 40409);
        assertThat(ok(http.get("/mode/" + s + "?defaultToGlobal=true")).json().get("mode").asText()).isEqualTo("READWRITE");
        assertThat(ok(http.put("/mode/" + s, "{\"mode\":\"READONLY\"}")).json().get("mode").asText()).isEqualTo("READONLY");
        assertThat(ok(http.get("/mode/" + s)).json().get("mode").asText()).isEqualTo("READONLY");
        assertError(http.put("/mode/" + s, "{\"mode\":\"NOPE\"}"), 422, 42204);
        assertThat(ok(http.get("/mode/" + s)).json().get("mode").asText()).isEqualTo("READONLY");
        assertThat(ok(http.delete("/mode/" + s)).json().get("mode").asText()).isEqualTo("READONLY");
        assertError(http.get("/mode/" + s), 404, 40409);
        assertError(http.delete("/mode/" + s), 404, 40409);
    }

    @Test
    void readOnlySubjectRefusesWritesWith42205AndStillServesReads() {
        String s = subject("ro");
        String other = subject("rw");
        int id = http.registerId(s, ORDER_V1);
        ok(http.put("/mode/" + s, "{\"mode\":\"READONLY\"}"));

        RegistryHttp.Reply refused = http.register(s, Avro.ORDER_V2);
        assertError(refused, 422, 42205);
        assertThat(refused.message()).contains(s);
        assertError(http.register(s, ORDER_V1), 422, 42205);
        assertError(http.delete("/subjects/" + s + "/versions/1"), 422, 42205);
        assertError(http.delete("/subjects/" + s), 422, 42205);
        assertThat(http.versions(s)).containsExactly(1);

        // reads and checks still work
        assertThat(ok(http.get("/schemas/ids/" + id)).json().has("schema")).isTrue();
        assertThat(ok(http.post("/subjects/" + s, RegistryHttp.schemaBody(ORDER_V1))).json().get("id").asInt()).isEqualTo(id);
        assertThat(ok(http.post("/compatibility/subjects/" + s + "/versions/latest",
                RegistryHttp.schemaBody(Avro.ORDER_V2))).json().get("is_compatible").asBoolean()).isTrue();
        // other subjects are not affected
        http.registerId(other, ORDER_V1);

        ok(http.put("/mode/" + s, "{\"mode\":\"READWRITE\"}"));
        http.registerId(s, Avro.ORDER_V2);
        assertThat(http.versions(s)).containsExactly(1, 2);
    }

    @Test
    void globalReadOnlyRefusesWritesEverywhereUnlessTheSubjectSaysReadWrite() {
        withRegistry(h -> {
            String s = subject("g-ro");
            String open = subject("g-rw");
            h.registerId(s, ORDER_V1);
            ok(h.put("/mode/" + open, "{\"mode\":\"READWRITE\"}"));
            ok(h.put("/mode", "{\"mode\":\"READONLY\"}"));
            assertError(h.register(s, Avro.ORDER_V2), 422, 42205);
            assertError(h.register(subject("new"), ORDER_V1), 422, 42205);
            assertError(h.delete("/subjects/" + s), 422, 42205);
            h.registerId(open, ORDER_V1);
            assertThat(strings(ok(h.get("/subjects")).json())).containsExactlyInAnyOrder(s, open);

            // READONLY_OVERRIDE wins over a subject's own READWRITE
            ok(h.put("/mode", "{\"mode\":\"READONLY_OVERRIDE\"}"));
            assertError(h.register(open, Avro.ORDER_V2), 422, 42205);
            assertThat(h.versions(open)).containsExactly(1);

            ok(h.put("/mode", "{\"mode\":\"READWRITE\"}"));
            h.registerId(s, Avro.ORDER_V2);
            assertThat(h.versions(s)).containsExactly(1, 2);
        });
    }
}
