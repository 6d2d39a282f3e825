package dev.mesh.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static dev.mesh.registry.Avro.field;
import static dev.mesh.registry.Avro.q;
import static dev.mesh.registry.Avro.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Schema references (R1 to R3, R9, R11, and 42206 on delete) and data contracts: metadata and ruleSet stored and
 * returned by R2, R3 and R9, inherited by a new version registered without them, and a new contract on the same
 * schema making a new version.
 */
class ReferencesAndContractsTest extends RegistryTestBase {

    static JsonNode json(String text) {
        try {
            return RegistryHttp.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final JsonNode METADATA = json("""
            {"tags": {"Order.customerEmail": ["PII"]},
             "properties": {"owner": "sales-team", "version": "1"},
             "sensitive": ["owner"]}""");
    static final JsonNode RULE_SET = json("""
            {"domainRules": [
               {"name": "positiveAmount", "doc": "amounts are positive", "kind": "CONDITION", "mode": "WRITE",
                "type": "CEL", "tags": ["PII"], "params": {"dlq.topic": "orders-dlq"}, "expr": "message.amount > 0",
                "onSuccess": "NONE", "onFailure": "DLQ", "disabled": false}],
             "migrationRules": [
               {"name": "renameTotal", "kind": "TRANSFORM", "mode": "UPGRADE", "type": "JSONATA",
                "expr": "$merge([$, {'amount': $.total}])"}]}""");
    static final JsonNode OTHER_RULE_SET = json("""
            {"domainRules": [
               {"name": "positiveAmount", "kind": "CONDITION", "mode": "WRITE", "type": "CEL",
                "expr": "message.amount >= 1", "onFailure": "ERROR"}]}""");

    private static ObjectNode withContract(String schema, JsonNode metadata, JsonNode ruleSet) {
        ObjectNode body = RegistryHttp.request(schema);
        if (metadata != null) {
            body.set("metadata", metadata);
        }
        if (ruleSet != null) {
            body.set("ruleSet", ruleSet);
        }
        return body;
    }

    private static ObjectNode withReference(String schema, String name, String subject, int version) {
        ObjectNode body = RegistryHttp.request(schema);
        ArrayNode refs = body.putArray("references");
        refs.addObject().put("name", name).put("subject", subject).put("version", version);
        return body;
    }

    // ---- references ----------------------------------------------------------------------------------------

    /** A Money record in its own subject and an Order that uses it by name. */
    private record Refs(String moneySubject, int moneyId, String orderSubject, int orderId, String moneyName) {
    }

    private static Refs registerMoneyAndOrder() {
        String ns = Avro.uniqueName().substring(2);
        String moneyName = "m" + ns + ".Money";
        String money = record(moneyName, field("cents", q("long")), field("currency", q("string")));
        String order = record("m" + ns + ".Order", field("orderId", q("string")), field("total", q(moneyName)));
        String moneySubject = subject("money");
        String orderSubject = subject("order");
        int moneyId = http.registerId(moneySubject, money);
        int orderId = http.registerId(orderSubject, withReference(order, moneyName, moneySubject, 1));
        return new Refs(moneySubject, moneyId, orderSubject, orderId, moneyName);
    }

    @Test
    void registersASchemaWithReferencesAndReturnsThem() {
        Refs r = registerMoneyAndOrder();
        assertThat(r.orderId()).isNotEqualTo(r.moneyId());

        JsonNode byId = ok(http.get("/schemas/ids/" + r.orderId())).json();
        assertThat(byId.get("references")).hasSize(1);
        JsonNode ref = byId.get("references").get(0);
        assertThat(ref.get("name").asText()).isEqualTo(r.moneyName());
        assertThat(ref.get("subject").asText()).isEqualTo(r.moneySubject());
        assertThat(ref.get("version").asInt()).isEqualTo(1);
        // the referenced type stays a name; its fields are not inlined
        assertThat(byId.get("schema").asText()).contains("Money").doesNotContain("cents");

        JsonNode v1 = ok(http.get("/subjects/" + r.orderSubject() + "/versions/1")).json();
        assertThat(v1.get("references")).isEqualTo(byId.get("references"));
        assertThat(v1.get("id").asInt()).isEqualTo(r.orderId());

        // lookup and re-register with the same references: same version, same id
        ObjectNode again = withReference(byId.get("schema").asText(), r.moneyName(), r.moneySubject(), 1);
        JsonNode found = ok(http.post("/subjects/" + r.orderSubject(), again.toString())).json();
        assertThat(found.get("id").asInt()).isEqualTo(r.orderId());
        assertThat(found.get("references")).isEqualTo(byId.get("references"));
        assertThat(http.registerId(r.orderSubject(), again)).isEqualTo(r.orderId());
        assertThat(http.versions(r.orderSubject())).containsExactly(1);
    }

    @Test
    void aReferenceToNothingIsInvalidAndCreatesNothing() {
        String s = subject("dangling");
        String order = record("dangling.Order", field("total", q("dangling.Money")));
        assertError(http.register(s, withReference(order, "dangling.Money", subject("nosuch"), 1)), 422, 42201);
        assertError(http.register(s, RegistryHttp.request(order)), 422, 42201);
        assertError(http.get("/subjects/" + s + "/versions"), 404, 40401);
        assertThat(strings(ok(http.get("/subjects")).json())).doesNotContain(s);
    }

    @Test
    void r11ListsTheIdsReferencingAVersion() {
        Refs r = registerMoneyAndOrder();
        assertThat(ints(ok(http.get("/subjects/" + r.moneySubject() + "/versions/1/referencedby")).json()))
                .containsExactly(r.orderId());
        assertThat(ints(ok(http.get("/subjects/" + r.moneySubject() + "/versions/latest/referencedby")).json()))
                .containsExactly(r.orderId());
        assertThat(ints(ok(http.get("/subjects/" + r.orderSubject() + "/versions/1/referencedby")).json())).isEmpty();
        assertError(http.get("/subjects/" + subject("nosuch") + "/versions/1/referencedby"), 404, 40401);
        assertError(http.get("/subjects/" + r.moneySubject() + "/versions/2/referencedby"), 404, 40402);
        assertError(http.get("/subjects/" + r.moneySubject() + "/versions/abc/referencedby"), 422, 42202);
    }

    @Test
    void aReferencedVersionCannotBeDeletedUntilItsReferrersAre() {
        Refs r = registerMoneyAndOrder();
        assertError(http.delete("/subjects/" + r.moneySubject()), 422, 42206);
        assertError(http.delete("/subjects/" + r.moneySubject() + "/versions/1"), 422, 42206);
        assertThat(http.versions(r.moneySubject())).containsExactly(1);

        ok(http.delete("/subjects/" + r.orderSubject()));
        assertThat(ints(ok(http.get("/subjects/" + r.moneySubject() + "/versions/1/referencedby")).json())).isEmpty();
        assertThat(ints(ok(http.delete("/subjects/" + r.moneySubject())).json())).containsExactly(1);
        // the soft-deleted order still resolves by id, references and all
        assertThat(ok(http.get("/schemas/ids/" + r.orderId())).json().get("references")).hasSize(1);
    }

    // ---- data contracts ------------------------------------------------------------------------------------

    @Test
    void metadataAndRuleSetAreStoredAndReturnedByLookupByIdAndByVersion() {
        String s = subject("contract");
        String name = Avro.uniqueName();
        int id = http.registerId(s, withContract(Avro.versioned(name, 1), METADATA, RULE_SET));

        JsonNode byVersion = ok(http.get("/subjects/" + s + "/versions/1")).json();
        assertThat(byVersion.get("metadata")).isEqualTo(METADATA);
        assertThat(byVersion.get("ruleSet")).isEqualTo(RULE_SET);

        JsonNode byId = ok(http.get("/schemas/ids/" + id)).json();
        assertThat(byId.get("metadata")).isEqualTo(METADATA);
        assertThat(byId.get("ruleSet")).isEqualTo(RULE_SET);

        JsonNode lookup = ok(http.post("/subjects/" + s, RegistryHttp.schemaBody(Avro.versioned(name, 1)))).json();
        assertThat(lookup.get("id").asInt()).isEqualTo(id);
        assertThat(lookup.get("metadata")).isEqualTo(METADATA);
        assertThat(lookup.get("ruleSet")).isEqualTo(RULE_SET);

        // the same request again is the same version
        assertThat(http.registerId(s, withContract(Avro.versioned(name, 1), METADATA, RULE_SET))).isEqualTo(id);
        assertThat(http.versions(s)).containsExactly(1);
    }

    @Test
    void aNewVersionWithoutAContractInheritsThePreviousOne() {
        String s = subject("inherit");
        String name = Avro.uniqueName();
        http.registerId(s, withContract(Avro.versioned(name, 1), METADATA, RULE_SET));
        int id2 = http.registerId(s, Avro.versioned(name, 2));
        JsonNode v2 = ok(http.get("/subjects/" + s + "/versions/2")).json();
        assertThat(v2.get("id").asInt()).isEqualTo(id2);
        assertThat(v2.get("metadata")).isEqualTo(METADATA);
        assertThat(v2.get("ruleSet")).isEqualTo(RULE_SET);
        assertThat(ok(http.get("/schemas/ids/" + id2)).json().get("ruleSet")).isEqualTo(RULE_SET);

        // only the missing part is inherited
        int id3 = http.registerId(s, withContract(Avro.versioned(name, 3), null, OTHER_RULE_SET));
        JsonNode v3 = ok(http.get("/subjects/" + s + "/versions/3")).json();
        assertThat(v3.get("id").asInt()).isEqualTo(id3);
        assertThat(v3.get("metadata")).isEqualTo(METADATA);
        assertThat(v3.get("ruleSet")).isEqualTo(OTHER_RULE_SET);

        // the latest schema again without a contract: it is the latest version, nothing new
        assertThat(http.registerId(s, Avro.versioned(name, 3))).isEqualTo(id3);
        assertThat(http.versions(s)).containsExactly(1, 2, 3);
    }

    @Test
    void theSameSchemaWithADifferentRuleSetIsANewVersion() {
        String s = subject("new-contract");
        String name = Avro.uniqueName();
        String schema = Avro.versioned(name, 1);
        int id1 = http.registerId(s, withContract(schema, METADATA, RULE_SET));
        int id2 = http.registerId(s, withContract(schema, METADATA, OTHER_RULE_SET));
        assertThat(id2).isNotEqualTo(id1);
        assertThat(http.versions(s)).containsExactly(1, 2);
        assertThat(ok(http.get("/subjects/" + s + "/versions/2")).json().get("ruleSet")).isEqualTo(OTHER_RULE_SET);
        assertThat(ok(http.get("/schemas/ids/" + id1)).json().get("ruleSet")).isEqualTo(RULE_SET);
        assertThat(ok(http.get("/schemas/ids/" + id2)).json().get("ruleSet")).isEqualTo(OTHER_RULE_SET);

        // lookup with the contract finds the matching version
        JsonNode found = ok(http.post("/subjects/" + s, withContract(schema, null, RULE_SET).toString())).json();
        assertThat(found.get("version").asInt()).isEqualTo(1);
        assertThat(found.get("id").asInt()).isEqualTo(id1);

        // and the same schema with different metadata is another version again
        ObjectNode otherMetadata = METADATA.deepCopy();
        ((ObjectNode) otherMetadata.get("properties")).put("owner", "finance-team");
        int id3 = http.registerId(s, withContract(schema, otherMetadata, null));
        assertThat(id3).isNotIn(id1, id2);
        JsonNode v3 = ok(http.get("/subjects/" + s + "/versions/3")).json();
        assertThat(v3.get("metadata")).isEqualTo(otherMetadata);
        assertThat(v3.get("ruleSet")).as("ruleSet inherited").isEqualTo(OTHER_RULE_SET);
    }

    @Test
    void theSameSchemaAndContractInAnotherSubjectSharesTheId() {
        String name = Avro.uniqueName();
        ObjectNode body = withContract(Avro.versioned(name, 1), METADATA, RULE_SET);
        int id = http.registerId(subject("c-a"), body);
        assertThat(http.registerId(subject("c-b"), body)).isEqualTo(id);
        int plain = http.registerId(subject("c-c"), Avro.versioned(name, 1));
        assertThat(plain).as("same schema without the contract is other content").isNotEqualTo(id);
    }

    @Test
    void emptyContractMembersDoNotMakeAnIdenticalRequestLookNew() {
        // clients commonly send empty collections; the registry must still see the same request as the same
        JsonNode metadata = json("""
                {"tags": {}, "properties": {"owner": "sales-team"}, "sensitive": []}""");
        JsonNode ruleSet = json("""
                {"domainRules": [{"name": "r", "kind": "CONDITION", "mode": "WRITE", "type": "CEL",
                  "expr": "true", "tags": [], "params": {}}], "migrationRules": []}""");
        String s = subject("empty-members");
        String schema = Avro.versioned(Avro.uniqueName(), 1);
        int id = http.registerId(s, withContract(schema, metadata, ruleSet));
        assertThat(http.registerId(s, withContract(schema, metadata, ruleSet))).isEqualTo(id);
        assertThat(http.registerId(subject("empty-members-2"), withContract(schema, metadata, ruleSet))).isEqualTo(id);
        assertThat(http.versions(s)).containsExactly(1);
        assertThat(ok(http.post("/subjects/" + s, withContract(schema, metadata, ruleSet).toString())).json()
                .get("version").asInt()).isEqualTo(1);
    }
}
