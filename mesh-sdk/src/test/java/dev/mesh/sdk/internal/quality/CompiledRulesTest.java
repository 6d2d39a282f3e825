package dev.mesh.sdk.internal.quality;

import dev.mesh.sdk.contract.QualityRule;
import dev.mesh.sdk.contract.QualityRule.OnFailure;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CompiledRulesTest {
    static final Schema ORDER = orderSchema();
    static final Schema LINE = ORDER.getField("lines").schema().getElementType();
    static final Schema ADDRESS = ORDER.getField("shipping").schema().getTypes().get(1);
    static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    static Schema orderSchema() {
        try (InputStream in = CompiledRulesTest.class.getResourceAsStream("/contracts/valid/derived/Order.avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static QualityRule rule(String name, String expr) {
        return rule(name, expr, OnFailure.DLQ);
    }

    static QualityRule rule(String name, String expr, OnFailure onFailure) {
        return new QualityRule(name, expr, null, onFailure, 0);
    }

    /** An order as a generic record read without logical-type conversions: decimals as bytes, timestamps as longs. */
    static GenericRecord rawOrder(String total, int... quantities) {
        List<GenericRecord> lines = new ArrayList<>();
        for (int q : quantities) {
            lines.add(new GenericRecordBuilder(LINE).set("sku", new Utf8("SKU-" + q)).set("quantity", q)
                    .set("unitPrice", decimalBytes("9.99")).build());
        }
        return new GenericRecordBuilder(ORDER)
                .set("orderId", new Utf8("o-1"))
                .set("customerId", "c-1")
                .set("currency", new GenericData.EnumSymbol(ORDER.getField("currency").schema(), "EUR"))
                .set("totalAmount", decimalBytes(total))
                .set("lines", new GenericData.Array<>(ORDER.getField("lines").schema(), lines))
                .set("placedAt", Instant.parse("2024-05-01T10:15:30.123Z").toEpochMilli())
                .set("shipping", null)
                .set("couponCode", null)
                .set("attributes", Map.of(new Utf8("channel"), new Utf8("web")))
                .set("paymentId", null)
                .set("itemCount", 3L)
                .build();
    }

    static ByteBuffer decimalBytes(String value) {
        return DECIMALS.toBytes(new BigDecimal(value), null, org.apache.avro.LogicalTypes.decimal(12, 2));
    }

    static RuleFailure check(GenericRecord record, String expr) {
        return CompiledRules.compile(ORDER, List.of(rule("r", expr))).check(record);
    }

    @Test
    void theContractExampleRulePassesAndFailsOnADecimalReadAsBytes() {
        CompiledRules rules = CompiledRules.compile(ORDER, List.of(rule("positive-total", "message.totalAmount > 0")));

        assertThat(rules.check(rawOrder("12.50", 1))).isNull();
        RuleFailure failure = rules.check(rawOrder("-0.01", 1));
        assertThat(failure.rule().name()).isEqualTo("positive-total");
        assertThat(failure.reason()).isEqualTo("expression was false");
    }

    @Test
    void recordsWithConvertedLogicalTypesWorkTheSame() {
        GenericRecord order = rawOrder("0.00", 1);
        order.put("totalAmount", new BigDecimal("20.05"));
        order.put("placedAt", Instant.parse("2024-05-01T10:15:30.123Z"));

        assertThat(check(order, "message.totalAmount == 20.05")).isNull();
        assertThat(check(order, "message.placedAt == timestamp('2024-05-01T10:15:30.123Z')")).isNull();
        assertThat(check(order, "message.totalAmount > 100")).isNotNull();
    }

    @Test
    void timestampsCompareAndExposeTheirParts() {
        GenericRecord order = rawOrder("1.00", 1);

        assertThat(check(order, "message.placedAt > timestamp('2024-01-01T00:00:00Z')")).isNull();
        assertThat(check(order, "message.placedAt == timestamp('2024-05-01T10:15:30.123Z')")).isNull();
        assertThat(check(order, "message.placedAt.getFullYear() == 2024 && message.placedAt.getMilliseconds() == 123")).isNull();
        assertThat(check(order, "message.placedAt < timestamp('2000-01-01T00:00:00Z')")).isNotNull();
        assertThat(check(order, "message.placedAt > timestamp(0)")).isNull();
    }

    @Test
    void arraysOfNestedRecordsSupportMacros() {
        assertThat(check(rawOrder("1.00", 1, 2, 3), "message.lines.all(l, l.quantity > 0)")).isNull();
        assertThat(check(rawOrder("1.00", 1, 0, 3), "message.lines.all(l, l.quantity > 0)")).isNotNull();
        assertThat(check(rawOrder("1.00", 2), "message.lines.exists(l, l.sku == 'SKU-2' && l.unitPrice == 9.99)")).isNull();
        assertThat(check(rawOrder("1.00", 1, 2), "size(message.lines) == 2 && message.lines[1].quantity == 2")).isNull();
        assertThat(check(rawOrder("1.00", 1, 2), "message.lines.map(l, l.quantity).filter(q, q > 1).size() == 1")).isNull();
        assertThat(check(rawOrder("1.00"), "message.lines.all(l, l.quantity > 0)")).as("vacuously true").isNull();
    }

    @Test
    void nullableFieldsCompareWithNullAndKeepTheirType() {
        GenericRecord order = rawOrder("1.00", 1);
        String couponRule = "message.couponCode == null || message.couponCode.startsWith('C-')";
        String shippingRule = "message.shipping == null || message.shipping.zip.size() == 5";

        assertThat(check(order, couponRule)).isNull();
        assertThat(check(order, shippingRule)).isNull();
        order.put("couponCode", new Utf8("C-10"));
        order.put("shipping", new GenericRecordBuilder(ADDRESS).set("city", "Berlin").set("zip", "10115").build());
        assertThat(check(order, couponRule)).isNull();
        assertThat(check(order, shippingRule)).isNull();
        order.put("couponCode", "X");
        order.put("shipping", new GenericRecordBuilder(ADDRESS).set("city", "Berlin").set("zip", "1").build());
        assertThat(check(order, couponRule)).isNotNull();
        assertThat(check(order, shippingRule)).isNotNull();
    }

    @Test
    void enumsAreStringsMapsHaveStringKeysAndLongsAreInts() {
        GenericRecord order = rawOrder("1.00", 1);

        assertThat(check(order, "message.currency in ['EUR', 'USD']")).isNull();
        assertThat(check(order, "message.currency == 'GBP'")).isNotNull();
        assertThat(check(order, "message.attributes['channel'] == 'web' && 'channel' in message.attributes")).isNull();
        assertThat(check(order, "message.itemCount == 3 && message.orderId == 'o-1' && message.customerId.size() == 3")).isNull();
    }

    @Test
    void anExpressionThatCannotBeEvaluatedIsAFailureWithCelsReason() {
        GenericRecord order = rawOrder("1.00", 1);

        RuleFailure missingKey = check(order, "message.attributes['campaign'] == 'x'");
        RuleFailure nullField = check(order, "message.couponCode.startsWith('C-')");
        RuleFailure outOfRange = check(order, "message.lines[3].quantity > 0");
        RuleFailure divideByZero = check(order, "message.itemCount / (size(message.lines) - 1) > 0");

        assertThat(missingKey.reason()).contains("campaign").endsWith("(ATTRIBUTE_NOT_FOUND)");
        assertThat(nullField.reason()).contains("No matching overload");
        assertThat(outOfRange.reason()).contains("Index out of bounds: 3");
        assertThat(divideByZero.reason()).contains("/ by zero");
        assertThat(check(order, "1 / 0 == 1").reason()).as("constant, yet not folded away").contains("/ by zero");
    }

    @Test
    void theFirstEnforcedFailureIsReturnedAndNoneRulesAreOnlyCounted() {
        List<RuleFailure> told = new ArrayList<>();
        CompiledRules rules = CompiledRules.compile(ORDER, List.of(
                rule("watch-big", "message.totalAmount < 1000", OnFailure.NONE),
                rule("positive", "message.totalAmount > 0", OnFailure.ERROR),
                rule("has-lines", "size(message.lines) > 0", OnFailure.DLQ),
                rule("watch-coupon", "message.couponCode != null", OnFailure.NONE)), told::add);

        assertThat(rules.check(rawOrder("5000.00", 1))).as("only watched rules fail").isNull();
        assertThat(rules.check(rawOrder("-1.00")).rule().name()).isEqualTo("positive");
        assertThat(rules.check(rawOrder("1.00")).rule().name()).isEqualTo("has-lines");

        assertThat(rules.ignoredFailures("watch-big")).isEqualTo(1);
        assertThat(rules.ignoredFailures("watch-coupon")).as("evaluated after an enforced failure too").isEqualTo(3);
        assertThat(rules.ignoredFailures("positive")).isZero();
        assertThat(told).extracting(f -> f.rule().name())
                .containsExactly("watch-big", "watch-coupon", "watch-coupon", "watch-coupon");
        assertThat(told).allSatisfy(f -> assertThat(f.rule().onFailure()).isEqualTo(OnFailure.NONE));
    }

    @Test
    void noRulesMeansEveryRecordPasses() {
        CompiledRules rules = CompiledRules.compile(ORDER, List.of());

        assertThat(rules.check(rawOrder("-1.00"))).isNull();
        assertThat(rules.rules()).isEmpty();
    }

    @Test
    void aMisspeltFieldFailsAtCompileTimeNamingTheRuleAndPosition() {
        RuleCompileException e = catchThrowableOfType(RuleCompileException.class, () ->
                CompiledRules.compile(ORDER, List.of(rule("positive-total", "message.totalAmont > 0"))));

        assertThat(e).hasMessage("rule 'positive-total' does not compile: undefined field 'totalAmont' (at 1:8)");
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.rule().name()).isEqualTo("positive-total"));
    }

    @Test
    void typeErrorsNonConditionsAndSyntaxErrorsFailAtCompileTimeAllAtOnce() {
        RuleCompileException e = catchThrowableOfType(RuleCompileException.class, () ->
                CompiledRules.compile(ORDER, List.of(
                        rule("ok", "message.totalAmount > 0"),
                        rule("string-vs-int", "message.orderId > 0"),
                        rule("not-a-condition", "message.orderId"),
                        rule("unfinished", "message.orderId == "),
                        rule("nested-typo", "message.lines.all(l, l.quantiti > 0)"),
                        rule("enum-is-string", "message.currency > 1"))));

        assertThat(e.problems()).extracting(p -> p.rule().name())
                .containsExactly("string-vs-int", "not-a-condition", "unfinished", "nested-typo", "enum-is-string");
        assertThat(e.getMessage())
                .contains("rule 'string-vs-int' does not compile: found no matching overload for '_>_' applied to '(string, int)'")
                .contains("rule 'not-a-condition' does not compile: expected type 'bool' but found 'string'")
                .contains("rule 'unfinished' does not compile: ")
                .contains("rule 'nested-typo' does not compile: undefined field 'quantiti'");
    }

    @Test
    void rulesNeedARecordSchema() {
        assertThatThrownBy(() -> CompiledRules.compile(Schema.create(Schema.Type.STRING), List.of(rule("r", "true"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quality rules apply to records");
    }

    @Test
    void recordsDecodedWithLogicalTypeConversionsWork() throws IOException {
        GenericData model = new GenericData();
        model.addLogicalTypeConversion(new Conversions.DecimalConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(ORDER).write(rawOrder("3.00", 4), encoder);
        encoder.flush();
        GenericRecord converted = new GenericDatumReader<GenericRecord>(ORDER, ORDER, model)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        assertThat(converted.get("totalAmount")).isInstanceOf(BigDecimal.class);
        assertThat(converted.get("placedAt")).isInstanceOf(Instant.class);
        assertThat(check(converted, "message.totalAmount == 3.0 && message.lines[0].unitPrice == 9.99"
                + " && message.placedAt == timestamp('2024-05-01T10:15:30.123Z')")).isNull();
    }
}
