package dev.mesh.sdk.policy;

import dev.mesh.sdk.contract.ContractException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mesh's own policies (schemas/policies.yaml) on contracts that each break one of them. */
class PolicyCheckerTest {
    private static final String FIELDS = """
            {"name": "id", "type": "string", "doc": "The id."},
              {"name": "note", "type": ["null", "string"], "default": null, "doc": "A note."}""";

    @TempDir
    Path root;
    Path products;

    @BeforeEach
    void mesh() throws IOException {
        Files.copy(Path.of("..", "schemas", "policies.yaml"), root.resolve("policies.yaml"));
        products = root.resolve("products");
    }

    /** A product folder; {@code more} adds contract lines, {@code fields} replaces the schema's fields. */
    private Path product(String id, String more, String fields) throws IOException {
        String[] parts = id.split("\\.");
        Path dir = Files.createDirectories(products.resolve(parts[0]).resolve(parts[1]).resolve("v1"));
        Files.writeString(dir.resolve("R.avsc"), "{\"type\": \"record\", \"name\": \"R\", \"namespace\": \"t." + parts[0].replace('-', '_')
                + "\",\n \"fields\": [\n  " + fields + "\n ]}\n");
        Files.writeString(dir.resolve("contract.yaml"), "product: " + id + "\nversion: 1.0.0\n"
                + "owner: {team: t, contact: t@shop.example}\ndescription: A product.\nkey: id\nschema: R.avsc\n" + more);
        return dir;
    }

    private List<PolicyViolation> lint() {
        return Lint.check(products, Optional.empty());
    }

    @Test
    void contractsThatKeepEveryPolicyPass() throws IOException {
        product("sales.orders", "slo: {freshness: 5m}\n", FIELDS);
        assertThat(lint()).isEmpty();
    }

    /**
     * Confluent's executors see decimals as bytes: a decimal compared with zero travels (registered over its bytes),
     * one compared with another number or in arithmetic is refused, naming the rule and the field.
     */
    @Test
    void aRuleOverADecimalTravelsOnlyAsAComparisonWithZero() throws IOException {
        String fields = FIELDS + """
                ,
                  {"name": "total", "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}, "doc": "Total."},
                  {"name": "quantity", "type": "int", "doc": "Units."}""";
        Path decimal = product("sales.priced", "slo: {freshness: 5m}\nquality:\n  - {name: positive-total, expr: \"message.total > 0.0\"}\n"
                + "  - {name: some-units, expr: \"message.quantity > 0\"}\n  - {name: big, expr: \"message.quantity > 1 || message.total >= 10.0\"}\n"
                + "  - {name: sum, expr: \"message.total - message.total == 0.0\"}\n", fields);
        product("sales.counted", "slo: {freshness: 5m}\nquality:\n  - {name: some-units, expr: \"message.quantity > 0\"}\n"
                + "  - {name: signs, expr: \"message.total != 0.0 && (message.quantity == 1 || message.total <= 0.00)\"}\n", fields);
        assertThat(lint()).extracting(PolicyViolation::toString).containsExactly(decimal.resolve("contract.yaml")
                + ":8: [portable-rules] ERROR every quality rule evaluates in Confluent's executors as in the mesh: they hand"
                + " decimals to CEL as bytes, so a decimal may only be compared with zero (registered as a comparison of its"
                + " bytes), never with another number or in arithmetic: big (message.total); sum (message.total)");
        Map<String, Object> view = PolicyChecker.view(dev.mesh.sdk.contract.loader.ContractLoader.load(decimal.resolve("contract.yaml")), Map.of());
        assertThat(view.get("rulesThatDoNotTravel")).isEqualTo(List.of("big (message.total)", "sum (message.total)"));
    }

    @Test
    void eachPolicyNamesFileLineAndFieldOfWhatBreaksIt() throws IOException {
        Path name = product("sales-eu.orders", "slo: {freshness: 5m}\n", FIELDS);
        Path doc = product("sales.lines", "slo: {freshness: 5m}\n", FIELDS + """
                ,
                  {"name": "lines", "doc": "Items.", "type": {"type": "array", "items": {"type": "record", "name": "L",
                   "fields": [{"name": "sku", "type": "string"}]}}}""");
        Path pii = product("sales.people", "classification: internal\nslo: {freshness: 5m}\n", FIELDS + """
                ,
                  {"name": "email", "type": "string", "doc": "E-mail.", "confluent:tags": ["PII"]}""");
        Path retention = product("sales.secrets", "classification: confidential\ntopic: {retention: 1000d}\nslo: {freshness: 5m}\n", FIELDS);
        Path slo = product("sales.stale", "", FIELDS);
        Path derived = product("finance.leaky", "inputs: [sales.secrets.v1]\naccess: {readers: []}\n", FIELDS);
        Path contact = product("sales.quiet", "slo: {freshness: 5m}\n", FIELDS);
        Files.writeString(contact.resolve("contract.yaml"), Files.readString(contact.resolve("contract.yaml"))
                .replace("contact: t@shop.example", "contact: nobody"));

        assertThat(lint()).extracting(PolicyViolation::toString).containsExactlyInAnyOrder(
                name.resolve("contract.yaml") + ":1: [product-name] ERROR a product is named <domain>.<kebab-case-name>",
                doc.resolve("R.avsc") + ":6: field 'lines[].sku': [field-documented] ERROR every field of the schema says what it holds (a doc)",
                pii.resolve("R.avsc") + ":5: field 'email': [pii-is-confidential] ERROR a field tagged PII belongs to a product classified confidential or restricted",
                retention.resolve("contract.yaml") + ":8: [retention-bounds] ERROR a topic keeps records no longer than its classification allows (restricted 90 days, confidential 2 years, else 10 years)",
                slo.resolve("contract.yaml") + ":1: [source-freshness-slo] ERROR a source product declares a freshness SLO (slo.freshness), so its consumers know what late means",
                derived.resolve("contract.yaml") + ":1: [derived-classification] ERROR a derived product is classified no lower than its inputs, unless its contract says why (classificationReason)",
                contact.resolve("contract.yaml") + ":3: [owner-contact] WARN the owner gives a contact address");
    }

    @Test
    void aPiiFieldMustBeOneFieldEncryptionCanHold() throws IOException {
        Path pii = product("sales.people", "classification: confidential\nslo: {freshness: 5m}\n", FIELDS + """
                ,
                  {"name": "email", "type": ["null", "string"], "doc": "E-mail.", "confluent:tags": ["PII"]},
                  {"name": "birthYear", "type": "int", "doc": "Year of birth.", "confluent:tags": ["PII"]}""");
        assertThat(lint()).extracting(PolicyViolation::toString).containsExactly(
                pii.resolve("R.avsc") + ":6: field 'birthYear': [pii-encrypted] ERROR a field tagged PII is encrypted in the topic by the schema's ENCRYPT rule, so it is a string or bytes");
    }

    @Test
    void aReasonLetsADerivedProductBeClassifiedLowerThanItsInput() throws IOException {
        product("sales.secrets", "classification: confidential\nslo: {freshness: 5m}\n", FIELDS);
        product("finance.sums", "inputs: [sales.secrets.v1]\nclassificationReason: sums only, no ids\n", FIELDS);
        assertThat(lint()).isEmpty();
    }

    @Test
    void aDomainTightensPoliciesButCannotWeakenThem() throws IOException {
        product("sales.quiet", "slo: {freshness: 5m}\n", FIELDS);
        Path contract = products.resolve("sales/quiet/v1/contract.yaml");
        Files.writeString(contract, Files.readString(contract).replace("contact: t@shop.example", "contact: nobody"));
        Files.writeString(products.resolve("sales/policies.yaml"), """
                policies:
                  - id: owner-contact
                    severity: ERROR
                  - id: description-length
                    description: sales describes its products in more than 20 characters
                    at: description
                    expr: size(contract.description) > 20
                """);
        assertThat(lint()).extracting(v -> v.policy() + " " + v.severity())
                .containsExactlyInAnyOrder("owner-contact ERROR", "description-length ERROR");

        Files.writeString(products.resolve("sales/policies.yaml"), """
                policies:
                  - id: field-documented
                    severity: WARN
                """);
        assertThatThrownBy(this::lint).isInstanceOf(ContractException.class)
                .hasMessageContaining(products.resolve("sales/policies.yaml") + ":2").hasMessageContaining("not weaken it");
        Files.writeString(products.resolve("sales/policies.yaml"), """
                policies:
                  - id: field-documented
                    expr: "true"
                """);
        assertThatThrownBy(this::lint).isInstanceOf(ContractException.class).hasMessageContaining("not redefine it");
    }

    @Test
    void aPolicyThatDoesNotCompileNamesItsFileAndLine() throws IOException {
        product("sales.orders", "slo: {freshness: 5m}\n", FIELDS);
        Files.writeString(root.resolve("policies.yaml"), "policies:\n  - id: broken\n    expr: contract.product >\n");
        assertThatThrownBy(this::lint).isInstanceOf(ContractException.class)
                .hasMessageContaining(root.resolve("policies.yaml") + ":2").hasMessageContaining("does not compile");
    }
}
