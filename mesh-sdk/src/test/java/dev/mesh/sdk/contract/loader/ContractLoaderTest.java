package dev.mesh.sdk.contract.loader;

import dev.mesh.sdk.contract.ContractException;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.QualityRule;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.contract.ProductId;
import dev.mesh.sdk.contract.ProductContract.Classification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ContractLoaderTest {

    @Test
    void aValidContractLoadsWithEveryField() {
        ProductContract c = ContractLoader.loadResource("/contracts/valid/derived/contract.yaml");

        assertThat(c.origin()).isEqualTo("contracts/valid/derived/contract.yaml");
        assertThat(c.product()).isEqualTo(new ProductId("finance", "order-settlements"));
        assertThat(c.version()).isEqualTo(new ProductContract.SemVer(2, 3, 1));
        assertThat(c.topicName()).isEqualTo("finance.order-settlements.v2");
        assertThat(c.owner()).isEqualTo(new ProductContract.Owner("finance", "finance-data@shop.example"));
        assertThat(c.description()).isEqualTo("Every order joined with its payment, one record per order.");
        assertThat(c.keyField()).isEqualTo("orderId");
        assertThat(c.schema().getFullName()).isEqualTo("dev.mesh.test.Order");
        assertThat(c.topic()).isEqualTo(new ProductContract.TopicSettings(6, Optional.of(Duration.ofDays(30)), "compact"));
        assertThat(c.compatibility()).isEqualTo("FULL_TRANSITIVE");
        assertThat(c.classification()).isEqualTo(Classification.CONFIDENTIAL);
        assertThat(c.tags()).containsExactly("orders", "revenue");
        assertThat(c.slo()).isEqualTo(new ProductContract.Slo(Optional.of(Duration.ofMinutes(5)), Optional.of("99.9%"),
                Duration.ofMinutes(10), Optional.of(new ProductContract.Volume(Optional.of(100L), Optional.of(100_000L))),
                Optional.of(0.005), Optional.of(Duration.ofMinutes(15)), Optional.of(Duration.ofSeconds(2))));
        assertThat(c.quality()).containsExactly(
                new QualityRule("positive-total", "message.totalAmount > 0", "An order total is positive", QualityRule.OnFailure.DLQ, 18),
                new QualityRule("lines-have-quantity", "message.lines.all(l, l.quantity > 0)", null, QualityRule.OnFailure.ERROR, 19),
                new QualityRule("known-currency", "message.currency in ['EUR', 'USD']", null, QualityRule.OnFailure.NONE, 21));
        assertThat(c.inputs()).containsExactly(
                new Naming.ProductVersion(new ProductId("sales", "orders"), 1),
                new Naming.ProductVersion(new ProductId("finance", "payments"), 1));
        assertThat(c.isDerived()).isTrue();
    }

    @Test
    void aContractFileLoadsWithItsSchemaFromTheSameFolder() {
        Path file = Path.of("src/test/resources/contracts/valid/derived/contract.yaml");

        ProductContract c = ContractLoader.load(file);

        assertThat(c.origin()).isEqualTo(file.toString());
        ProductContract fromClasspath = ContractLoader.loadResource("contracts/valid/derived/contract.yaml");
        assertThat(c).usingRecursiveComparison().ignoringFields("origin", "schema").isEqualTo(fromClasspath);
        assertThat(c.schema()).isEqualTo(fromClasspath.schema());
    }

    @Test
    void whatAContractLeavesOutGetsTheDefaults() {
        // the schema is "../derived/Order.avsc": relative paths resolve on the classpath as in a folder
        ProductContract c = ContractLoader.loadResource("/contracts/valid/minimal/contract.yaml");

        assertThat(c.topic()).isEqualTo(new ProductContract.TopicSettings(3, Optional.empty(), "delete"));
        assertThat(c.compatibility()).isEqualTo("BACKWARD");
        assertThat(c.classification()).isEqualTo(Classification.INTERNAL);
        assertThat(c.tags()).isEmpty();
        assertThat(c.slo()).isEqualTo(new ProductContract.Slo(Optional.empty(), Optional.empty()));
        assertThat(c.slo().window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.quality()).isEmpty();
        assertThat(c.inputs()).isEmpty();
        assertThat(c.isDerived()).isFalse();
    }

    @Test
    void aRuleWithoutAnActionFailsThePublishAsConfluentsDo() {
        ProductContract c = ContractLoader.loadResource("/contracts/valid/derived/contract.yaml");

        assertThat(c.quality().get(1).onFailure()).isEqualTo(QualityRule.OnFailure.ERROR);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown-key           | 9  | compatability        | unknown field; did you mean 'compatibility'?
            unknown-nested-key    | 8  | topic.retension      | unknown field; did you mean 'retention'?
            bad-semver            | 3  | version              | '1.2' is not a semantic version; expected MAJOR.MINOR.PATCH
            major-zero            | 3  | version              | major version 0 is not allowed
            bad-duration          | 8  | topic.retention      | '30days' is not a duration; write a whole number followed by ms, s, m, h or d
            bad-freshness         | 12 | slo.freshness        | '5 minutes' is not a duration
            bad-compatibility     | 9  | compatibility        | unknown level 'FULLL'; expected one of NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE; did you mean FULL?
            missing-description   | 2  | description          | is required but missing
            missing-owner-contact | 4  | owner.contact        | is required but missing
            owner-not-mapping     | 4  | owner                | expected a mapping of fields, found a single value
            key-not-in-schema     | 6  | key                  | key field 'orderid' is not a top-level field of schema Order; did you mean 'orderId'?
            key-not-string        | 6  | key                  | key field 'couponCode' must be a required string (keys are UTF-8 strings), but it is a union of null and string
            expr-typo             | 14 | quality[0].expr      | rule 'positive-total' does not compile: undefined field 'totalAmont' (at 1:8)
            expr-type-error       | 14 | quality[0].expr      | rule 'positive-total' does not compile: found no matching overload for '_>_' applied to '(string, int)'
            expr-not-bool         | 14 | quality[0].expr      | rule 'positive-total' does not compile: expected type 'bool' but found 'string'
            duplicate-rule        | 15 | quality[1].name      | rule name 'positive-total' is used by an earlier rule; names must be unique
            bad-rule-name         | 14 | quality[0].name      | rule name 'positive total' must start with a letter
            bad-on-failure        | 14 | quality[0].onFailure | unknown action 'DROP'; expected one of DLQ
            invalid-avro          | 7  | schema               | schema file 'Broken.avsc' is not a valid Avro schema: Undefined schema: dev.mesh.test.strin
            malformed-avro-json   | 7  | schema               | schema file 'NotJson.avsc' is not a valid Avro schema: not JSON: Unexpected end-of-input: expected close marker for Array (line 2, column 1 of the file)
            missing-schema-file   | 7  | schema               | schema file 'Missing.avsc' not found beside the contract
            schema-not-record     | 7  | schema               | schema file 'JustAString.avsc' holds a string schema; a product's records must be an Avro record
            bad-input             | 15 | inputs[0]            | input 'sales.orders' is not a product topic; expected <domain>.<name>.v<major>
            bad-product-id        | 2  | product              | product domain 'Sales' must be lower-case letters and digits
            bad-partitions        | 8  | topic.partitions     | '0' is not a partition count; expected a whole number of at least 1
            bad-cleanup           | 8  | topic.cleanup        | unknown cleanup policy 'deleet'; expected one of delete, compact
            bad-classification    | 10 | classification       | unknown classification 'secret'; expected one of public, internal, confidential, restricted
            bad-availability      | 12 | slo.availability     | '101%' is not an availability
            bad-dead-letter-ratio | 12 | slo.deadLetterRatio  | '0.5' is not a ratio; expected a percentage above 0 and at most 100, e.g. 1%
            volume-min-above-max  | 14 | slo.volume.max       | max 100 is below min 500
            bad-volume            | 12 | slo.volume.min       | '-1' is not a record count
            bad-window            | 12 | slo.window           | a duration of zero means nothing here
            latency-of-a-source   | 12 | slo.latency          | latency is measured from a source record to the derived record
            duplicate-key         | 11 | key                  | is given twice
            """)
    void anInvalidContractFailsWithFileLineAndField(String name, int line, String field, String message) {
        String file = "contracts/invalid/" + name + ".yaml";

        ContractException e = catchThrowableOfType(ContractException.class, () -> ContractLoader.loadResource("/" + file));

        assertThat(e).as("loading %s should fail", file).isNotNull();
        assertThat(e.getMessage()).contains(file + ":" + line + ": field '" + field + "': " + message);
        assertThat(e.problems()).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(file);
            assertThat(p.line()).isEqualTo(line);
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.message()).contains(message);
        });
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnceInLineOrder() {
        ContractException e = catchThrowableOfType(ContractException.class,
                () -> ContractLoader.loadResource("/contracts/invalid/many-problems.yaml"));

        assertThat(e.problems()).extracting(ContractException.Problem::line, ContractException.Problem::field)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(3, "version"),
                        org.assertj.core.groups.Tuple.tuple(8, "topic.partitions"),
                        org.assertj.core.groups.Tuple.tuple(9, "compatibility"));
        assertThat(e.getMessage()).startsWith("3 problems in contract contracts/invalid/many-problems.yaml:\n");
    }

    @Test
    void brokenYamlNamesTheLine() {
        ContractException e = catchThrowableOfType(ContractException.class,
                () -> ContractLoader.loadResource("/contracts/invalid/yaml-syntax.yaml"));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(12);
            assertThat(p.message()).isEqualTo("not valid YAML: expected ',' or ']', but got : "
                    + "(while parsing a flow sequence that starts on line 11)");
        });
    }

    @Test
    void aMissingContractSaysSo() {
        assertThatThrownBy(() -> ContractLoader.loadResource("/contracts/nowhere/contract.yaml"))
                .isInstanceOf(ContractException.class)
                .hasMessage("contracts/nowhere/contract.yaml: contract not found on the classpath");
        assertThatThrownBy(() -> ContractLoader.load(Path.of("no/such/contract.yaml")))
                .isInstanceOf(ContractException.class)
                .hasMessage("no/such/contract.yaml: contract file not found");
    }

    @Test
    void anEmptyOrNonMappingDocumentIsRejected() {
        assertThatThrownBy(() -> ContractLoader.parse("empty.yaml", "# nothing\n", name -> Optional.empty()))
                .hasMessage("empty.yaml: the contract is empty");
        assertThatThrownBy(() -> ContractLoader.parse("list.yaml", "- product: sales.orders\n", name -> Optional.empty()))
                .hasMessageStartingWith("list.yaml:1: a contract is a mapping of fields");
    }

    @Test
    void theCoreReadsSiblingsThroughTheGivenFunction() {
        String schema = """
                {"type": "record", "name": "Payment", "fields": [{"name": "paymentId", "type": "string"},
                 {"name": "amount", "type": "double"}]}""";
        String yaml = """
                product: finance.payments
                version: 1.0.0
                owner: {team: finance, contact: finance@shop.example}
                description: Payments.
                key: paymentId
                schema: Payment.avsc
                quality:
                  - {name: positive, expr: message.amount > 0}
                """;

        ProductContract c = ContractLoader.parse("mem:contract.yaml", yaml,
                name -> Optional.ofNullable(Map.of("Payment.avsc", schema).get(name)));

        assertThat(c.schema().getName()).isEqualTo("Payment");
        assertThat(c.quality()).extracting(QualityRule::name).containsExactly("positive");
    }

    @Test
    void eventTimeAndLimitsAreReadAndCheckedAgainstTheSchema() {
        String schema = """
                {"type": "record", "name": "Payment", "fields": [{"name": "paymentId", "type": "string"},
                 {"name": "amount", "type": "double"},
                 {"name": "occurredAt", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}""";
        String valid = """
                product: finance.payments
                version: 1.0.0
                owner: {team: finance, contact: finance@shop.example}
                description: Payments.
                key: paymentId
                schema: Payment.avsc
                eventTime: {field: occurredAt, notBefore: 2000-01-01, maxFuture: 5m}
                limits: {maxStringLength: 200, maxItems: 10}
                """;
        ProductContract c = ContractLoader.parse("c.yaml", valid, name -> Optional.of(schema));
        assertThat(c.eventTime().field()).contains("occurredAt");
        assertThat(c.eventTime().notBefore()).isEqualTo(java.time.Instant.parse("2000-01-01T00:00:00Z"));
        assertThat(c.eventTime().maxFuture()).contains(java.time.Duration.ofMinutes(5));
        assertThat(c.limits()).isEqualTo(new ProductContract.Limits(200, 10));
        java.time.Instant now = java.time.Instant.parse("2026-12-01T10:00:00Z");
        assertThat(c.eventTime().violation(now.plusSeconds(301), now)).hasValueSatisfying(m -> assertThat(m).contains("5m in the future"));
        assertThat(c.eventTime().violation(java.time.Instant.parse("1999-12-31T23:59:59Z"), now)).isPresent();
        assertThat(c.eventTime().violation(now, now)).isEmpty();

        ContractException e = catchThrowableOfType(ContractException.class, () -> ContractLoader.parse("c.yaml",
                valid.replace("field: occurredAt", "field: amount").replace("notBefore: 2000-01-01", "notBefore: 1960-01-01")
                        .replace("maxItems: 10", "maxItems: lots"), name -> Optional.of(schema)));
        assertThat(e.problems()).extracting(ContractException.Problem::toString).anySatisfy(p -> assertThat(p)
                .contains("c.yaml:7", "eventTime.field", "the event time must be a timestamp-millis"))
                .anySatisfy(p -> assertThat(p).contains("c.yaml:7", "before 1970-01-01"))
                .anySatisfy(p -> assertThat(p).contains("c.yaml:8", "limits.maxItems", "from 1 to 100000"));
        ContractException typo = catchThrowableOfType(ContractException.class, () -> ContractLoader.parse("c.yaml",
                valid.replace("field: occurredAt", "field: occuredAt"), name -> Optional.of(schema)));
        assertThat(typo).hasMessageContaining("did you mean 'occurredAt'");
    }

    @Test
    void intakeFillAndGeneratorAreReadAndCheckedAgainstTheSchema() {
        String schema = """
                {"type": "record", "name": "Payment", "fields": [{"name": "paymentId", "type": "string"},
                 {"name": "occurredAt", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}""";
        String valid = """
                product: finance.payments
                version: 1.0.0
                owner: {team: finance, contact: finance@shop.example}
                description: Payments.
                key: paymentId
                schema: Payment.avsc
                intake:
                  fill: {paymentId: "p-{uuid}", occurredAt: "{now}"}
                generator: {follows: sales.orders, share: 0.5}
                """;
        ProductContract c = ContractLoader.parse("c.yaml", valid, name -> Optional.of(schema));
        assertThat(c.intake().fill()).containsEntry("paymentId", "p-{uuid}").containsEntry("occurredAt", "{now}");
        assertThat(c.generator()).hasValueSatisfying(g -> {
            assertThat(g.follows()).contains(dev.mesh.sdk.contract.ProductId.parse("sales.orders"));
            assertThat(g.share()).isEqualTo(0.5);
        });
        assertThat(ContractLoader.parse("c.yaml", valid.replace("generator: {follows: sales.orders, share: 0.5}\n", ""),
                name -> Optional.of(schema)).generator()).as("no section, no generated traffic").isEmpty();

        ContractException e = catchThrowableOfType(ContractException.class, () -> ContractLoader.parse("c.yaml",
                valid.replace("paymentId: \"p-{uuid}\"", "paymentID: \"p-{uuid}\"").replace("{now}", "{today}")
                        .replace("share: 0.5", "share: none"), name -> Optional.of(schema)));
        assertThat(e.problems()).extracting(ContractException.Problem::toString)
                .anySatisfy(p -> assertThat(p).contains("c.yaml:8", "no field 'paymentID'", "did you mean 'paymentId'"))
                .anySatisfy(p -> assertThat(p).contains("c.yaml:8", "unknown placeholder {today}; use {uuid} or {now}"))
                .anySatisfy(p -> assertThat(p).contains("c.yaml:9", "generator.share"));
        ContractException badFill = catchThrowableOfType(ContractException.class, () -> ContractLoader.parse("c.yaml",
                valid.replace("occurredAt: \"{now}\"", "occurredAt: \"yesterday\""), name -> Optional.of(schema)));
        assertThat(badFill).hasMessageContaining("c.yaml:8").hasMessageContaining("cannot fill field 'occurredAt'")
                .hasMessageContaining("{now} or an instant for a timestamp");
    }

    @Test
    void nestedUnknownKeysAndWrongShapesAreFoundInRulesToo() {
        String yaml = """
                product: finance.payments
                version: 1.0.0
                owner: {team: finance, contact: finance@shop.example, phone: 123}
                description: Payments.
                key: paymentId
                schema: Payment.avsc
                tags: orders
                quality:
                  - {name: positive, expression: message.amount > 0}
                  - just text
                """;
        String schema = """
                {"type": "record", "name": "Payment", "fields": [{"name": "paymentId", "type": "string"}]}""";

        ContractException e = catchThrowableOfType(ContractException.class,
                () -> ContractLoader.parse("c.yaml", yaml, name -> Optional.of(schema)));

        assertThat(e.problems()).extracting(ContractException.Problem::toString).containsExactly(
                "c.yaml:3: field 'owner.phone': unknown field; known fields here: team, contact",
                "c.yaml:7: field 'tags': expected a list, found a single value",
                "c.yaml:9: field 'quality[0].expression': unknown field; did you mean 'expr'?",
                "c.yaml:9: field 'quality[0].expr': is required but missing",
                "c.yaml:10: field 'quality[1]': expected a rule: a mapping with name, expr, onFailure and doc");
    }

    @Test
    void aProductCannotBeItsOwnInput() {
        String yaml = """
                product: sales.orders
                version: 1.0.0
                owner: {team: sales, contact: s@shop.example}
                description: Orders.
                key: id
                schema: S.avsc
                inputs: [sales.orders.v1, sales.orders.v1]
                """;
        String schema = """
                {"type": "record", "name": "S", "fields": [{"name": "id", "type": "string"}]}""";

        ContractException e = catchThrowableOfType(ContractException.class,
                () -> ContractLoader.parse("c.yaml", yaml, name -> Optional.of(schema)));

        assertThat(e.problems()).extracting(ContractException.Problem::message)
                .containsOnly("a product cannot be built from itself");
        assertThat(List.of(e.problems().get(0).field(), e.problems().get(1).field())).containsExactly("inputs[0]", "inputs[1]");
    }
}
