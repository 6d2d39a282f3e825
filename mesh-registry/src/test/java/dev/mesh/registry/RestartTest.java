package dev.mesh.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.mesh.registry.RegistryTestBase.ints;
import static dev.mesh.registry.RegistryTestBase.ok;
import static dev.mesh.registry.RegistryTestBase.strings;
import static org.assertj.core.api.Assertions.assertThat;

/** The state is the log: a new instance on the same topic serves exactly what the old one did, and carries on. */
@ExtendWith(KafkaExtension.class)
class RestartTest {

    /** Everything a client can read, endpoint by endpoint. */
    private static Map<String, String> everything(RegistryHttp h) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String path : List.of("/subjects", "/subjects?deleted=true", "/config", "/mode", "/schemas/types")) {
            out.put(path, h.get(path).text());
        }
        int maxId = 0;
        for (String s : strings(ok(h.get("/subjects?deleted=true")).json())) {
            for (String path : List.of("/subjects/" + s + "/versions", "/subjects/" + s + "/versions?deleted=true",
                    "/config/" + s, "/mode/" + s)) {
                RegistryHttp.Reply r = h.get(path);
                out.put(path, r.status() + " " + r.text());
            }
            for (int v : ints(ok(h.get("/subjects/" + s + "/versions?deleted=true")).json())) {
                String path = "/subjects/" + s + "/versions/" + v + "?deleted=true";
                RegistryHttp.Reply r = ok(h.get(path));
                out.put(path, r.text());
                maxId = Math.max(maxId, r.json().get("id").asInt());
                out.put(path + "/referencedby", h.get("/subjects/" + s + "/versions/" + v + "/referencedby").text());
            }
        }
        int reportedMax = ok(h.get("/schemas/ids/" + maxId + "?fetchMaxId=true")).json().get("maxId").asInt();
        out.put("maxId", String.valueOf(reportedMax));
        for (int id = 1; id <= reportedMax + 1; id++) {
            RegistryHttp.Reply r = h.get("/schemas/ids/" + id);
            out.put("/schemas/ids/" + id, r.status() + " " + r.text());
            out.put("/schemas/ids/" + id + "/versions", h.get("/schemas/ids/" + id + "/versions?deleted=true").text());
        }
        return out;
    }

    @Test
    void aNewInstanceOnTheSameTopicServesTheSameStateAndCarriesOn(TestKafka kafka) {
        Map<String, Object> props = Map.of("registry.topic", TestKafka.uniqueName("_schemas"));
        String name = Avro.uniqueName();
        String s1 = TestKafka.uniqueName("s1");
        String s2 = TestKafka.uniqueName("s2");
        String contract = TestKafka.uniqueName("contract");
        String gone = TestKafka.uniqueName("gone");
        String frozen = TestKafka.uniqueName("frozen");
        Map<String, String> before;
        int maxId;
        try (EmbeddedRegistry first = EmbeddedRegistry.start(kafka.bootstrapServers(), 0, props)) {
            RegistryHttp h = new RegistryHttp(first.url());
            h.registerId(s1, Avro.versioned(name, 1));
            int shared = h.registerId(s1, Avro.versioned(name, 2));
            h.registerId(s1, Avro.versioned(name, 3));
            ok(h.delete("/subjects/" + s1 + "/versions/3"));
            ok(h.delete("/subjects/" + s1 + "/versions/3?permanent=true"));
            h.registerId(s1, Avro.versioned(name, 4));
            ok(h.delete("/subjects/" + s1 + "/versions/4"));
            assertThat(h.registerId(s2, Avro.versioned(name, 2))).isEqualTo(shared);
            ObjectNode withContract = RegistryHttp.request(Avro.versioned(name, 1));
            withContract.set("metadata", ReferencesAndContractsTest.METADATA);
            withContract.set("ruleSet", ReferencesAndContractsTest.RULE_SET);
            h.registerId(contract, withContract);
            h.registerId(gone, Avro.distinct("Gone", 0));
            ok(h.delete("/subjects/" + gone));
            h.registerId(frozen, Avro.distinct("Frozen", 0));

            ok(h.put("/config", "{\"compatibility\":\"FULL\"}"));
            ok(h.put("/config/" + s1, "{\"compatibility\":\"NONE\"}"));
            ok(h.put("/config/" + s2, "{\"compatibility\":\"FORWARD_TRANSITIVE\"}"));
            ok(h.put("/config/" + contract, "{\"compatibility\":\"BACKWARD\"}"));
            ok(h.delete("/config/" + contract));
            ok(h.put("/mode/" + frozen, "{\"mode\":\"READONLY\"}"));

            before = everything(h);
            maxId = Integer.parseInt(before.get("maxId"));
        }
        assertThat(before.get("/config")).contains("FULL");
        assertThat(before.get("/subjects/" + s1 + "/versions?deleted=true")).contains("[1,2,4]");

        try (EmbeddedRegistry second = EmbeddedRegistry.start(kafka.bootstrapServers(), 0, props)) {
            RegistryHttp h = new RegistryHttp(second.url());
            Map<String, String> after = everything(h);
            assertThat(after).containsExactlyEntriesOf(before);

            // carries on: ids after the highest, versions after the highest ever (deleted ones included)
            int next = h.registerId(s1, Avro.versioned(name, 5));
            assertThat(next).isEqualTo(maxId + 1);
            assertThat(ints(ok(h.get("/subjects/" + s1 + "/versions?deleted=true")).json())).containsExactly(1, 2, 4, 5);
            assertThat(h.registerId(s2, Avro.versioned(name, 2))).as("still idempotent").isEqualTo(
                    ok(h.get("/subjects/" + s2 + "/versions/1")).json().get("id").asInt());
            RegistryTestBase.assertError(h.register(frozen, Avro.distinct("Frozen", 1)), 422, 42205);
            // s2 is FORWARD_TRANSITIVE: dropping f2 (which has a default) is fine, adding a field without one too
            h.registerId(s2, Avro.versioned(name, 1));
            assertThat(h.versions(s2)).containsExactly(1, 2);
        }
    }
}
