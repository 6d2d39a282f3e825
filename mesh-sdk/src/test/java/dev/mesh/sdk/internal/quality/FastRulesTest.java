package dev.mesh.sdk.internal.quality;

import dev.mesh.sdk.contract.QualityRule;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.mesh.sdk.internal.quality.CompiledRulesTest.LINE;
import static dev.mesh.sdk.internal.quality.CompiledRulesTest.ORDER;
import static dev.mesh.sdk.internal.quality.CompiledRulesTest.decimalBytes;
import static dev.mesh.sdk.internal.quality.CompiledRulesTest.rule;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules' Java fast path against CEL itself, on the same generated records: with it or without it, every record
 * gets the same answer and the same reason, and the simple rules do take it.
 */
class FastRulesTest {
    /** Rules the fast path compiles. */
    private static final List<String> SIMPLE = List.of(
            "message.totalAmount > 0.0", "message.totalAmount > 0", "message.totalAmount >= 10.5 && message.totalAmount < 1000",
            "message.totalAmount == 20.05", "message.customerId != ''", "message.orderId == 'o-1'",
            "size(message.lines) > 0", "message.lines.size() <= 3", "size(message.customerId) < 8",
            "message.lines.all(l, l.quantity > 0)", "message.lines.all(l, l.quantity > 0 && l.unitPrice < 100.0)",
            "message.currency in ['EUR', 'USD']", "message.currency == 'GBP' || message.totalAmount > 50.0",
            "!(message.itemCount > 2)", "message.itemCount >= 1 && message.itemCount != 7",
            "message.couponCode != ''", "message.couponCode == 'SAVE'", "size(message.attributes) >= 1",
            "message.itemCount > 2.5", "message.totalAmount != 0.0", "true", "message.shipping.city == 'Berlin'");
    /** Rules it leaves to CEL. */
    private static final List<String> CEL_ONLY = List.of(
            "message.couponCode == null || size(message.couponCode) > 0", "message.orderId.startsWith('o-')",
            "message.lines.exists(l, l.sku == 'SKU-1')", "message.customerId < 'm'", "message.lines[0].quantity > 0",
            "message.placedAt > timestamp('2024-01-01T00:00:00Z')", "message.totalAmount + 1.0 > 2.0");

    @Test
    void withOrWithoutTheFastPathEveryRecordGetsTheSameAnswerAndReason() {
        Random random = new Random(20261201);
        List<GenericRecord> records = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            records.add(order(random));
        }
        Map<String, int[]> fastPasses = new HashMap<>();
        for (String expr : concat(SIMPLE, CEL_ONLY)) {
            List<QualityRule> rules = List.of(rule("r", expr));
            CompiledRules fast = CompiledRules.compile(ORDER, rules, failure -> { }, true);
            CompiledRules cel = CompiledRules.compile(ORDER, rules, failure -> { }, false);
            assertThat(fast.fastRules()).as("fast path of " + expr).isEqualTo(SIMPLE.contains(expr) ? 1 : 0);
            int[] counts = fastPasses.computeIfAbsent(expr, e -> new int[2]);
            for (GenericRecord record : records) {
                RuleFailure withFast = fast.check(record);
                RuleFailure withCel = cel.check(record);
                assertThat(withFast == null ? null : withFast.reason()).as("%s on %s", expr, record)
                        .isEqualTo(withCel == null ? null : withCel.reason());
                if (withCel == null) {
                    counts[0]++;
                    FastRules.Rule compiled = FastRules.compile(compileAst(expr), ORDER).orElse(null);
                    counts[1] += compiled != null && FastRules.passes(compiled, record) ? 1 : 0;
                }
            }
        }
        // not vacuous: where CEL passes a record, the simple rules pass it without CEL nearly always
        assertThat(fastPasses.get("message.totalAmount > 0.0")[1]).isEqualTo(fastPasses.get("message.totalAmount > 0.0")[0]).isPositive();
        assertThat(fastPasses.get("message.lines.all(l, l.quantity > 0)")[1]).isPositive();
        assertThat(fastPasses.get("message.currency in ['EUR', 'USD']")[1]).isPositive();
    }

    private static dev.cel.common.CelAbstractSyntaxTree compileAst(String expr) {
        return CompiledRules.checkedAst(ORDER, expr);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A random order with edge values: zero, negative, huge and odd decimals, empty and unicode strings, nulls. */
    private static GenericRecord order(Random r) {
        List<GenericRecord> lines = new ArrayList<>();
        for (int i = 0, n = r.nextInt(4); i < n; i++) {
            lines.add(new GenericRecordBuilder(LINE).set("sku", "SKU-" + r.nextInt(3)).set("quantity", r.nextInt(5) - 1)
                    .set("unitPrice", amount(r)).build());
        }
        String[] strings = {"", "o-1", "c-1", "SAVE", "äöü-😀", "Berlin", "m", "zz"};
        String[] currencies = {"EUR", "USD", "GBP"};
        GenericRecordBuilder b = new GenericRecordBuilder(ORDER)
                .set("orderId", r.nextBoolean() ? new Utf8(strings[r.nextInt(strings.length)]) : strings[r.nextInt(strings.length)])
                .set("customerId", strings[r.nextInt(strings.length)])
                .set("currency", new GenericData.EnumSymbol(ORDER.getField("currency").schema(), currencies[r.nextInt(3)]))
                .set("totalAmount", amount(r))
                .set("lines", new GenericData.Array<>(ORDER.getField("lines").schema(), lines))
                .set("placedAt", 1_714_558_530_123L)
                .set("shipping", r.nextInt(3) == 0 ? null : new GenericRecordBuilder(ORDER.getField("shipping").schema().getTypes().get(1))
                        .set("city", strings[r.nextInt(strings.length)]).set("zip", "10115").build())
                .set("couponCode", r.nextInt(3) == 0 ? null : strings[r.nextInt(strings.length)])
                .set("attributes", r.nextBoolean() ? Map.of() : Map.of(new Utf8("channel"), new Utf8("web")))
                .set("paymentId", null)
                .set("itemCount", (long) (r.nextInt(10) - 1));
        return b.build();
    }

    /** A decimal(12,2) as bytes or as BigDecimal (both reach rules), including zero, negatives and the extremes. */
    private static Object amount(Random r) {
        String[] edge = {"0.00", "-0.01", "0.01", "20.05", "50.00", "10.50", "9999999999.99", "-9999999999.99", "100.00"};
        String value = r.nextInt(4) == 0 ? edge[r.nextInt(edge.length)] : BigDecimal.valueOf(r.nextInt(200_000) - 20_000, 2).toPlainString();
        return r.nextBoolean() ? decimalBytes(value) : new BigDecimal(value);
    }
}
