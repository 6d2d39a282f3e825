package dev.mesh.sdk.bench;

import dev.mesh.sdk.contract.QualityRule;
import dev.mesh.sdk.contract.QualityRule.OnFailure;
import dev.mesh.sdk.internal.quality.CompiledRules;
import dev.mesh.sdk.internal.quality.RuleFailure;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.util.Utf8;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cost of checking one record against a product's quality rules (the SDK's goal: under 1 µs for a rule like
 * {@code message.totalAmount > 0}). Records are generic, as the publisher sees them, in both forms Avro produces:
 * raw (decimal as bytes, timestamp as long) and with logical-type conversions (BigDecimal, Instant).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx512m"})
public class RuleEvaluationBenchmark {
    private GenericRecord rawOrder;
    private GenericRecord convertedOrder;
    private CompiledRules positiveTotal;
    private CompiledRules longField;
    private CompiledRules allLines;
    private CompiledRules currencyInList;
    private CompiledRules afterTimestampLiteral;
    private CompiledRules contractRules;

    @Setup
    public void setUp() throws IOException {
        Schema order;
        try (InputStream in = RuleEvaluationBenchmark.class.getResourceAsStream("/contracts/valid/derived/Order.avsc")) {
            order = new Schema.Parser().parse(in);
        }
        rawOrder = order(order, decimal("129.90"), decimal("9.99"), Instant.parse("2024-05-01T10:15:30Z").toEpochMilli());
        convertedOrder = order(order, new BigDecimal("129.90"), new BigDecimal("9.99"), Instant.parse("2024-05-01T10:15:30Z"));
        positiveTotal = CompiledRules.compile(order, List.of(rule("positive-total", "message.totalAmount > 0")));
        longField = CompiledRules.compile(order, List.of(rule("has-items", "message.itemCount > 0")));
        allLines = CompiledRules.compile(order, List.of(rule("lines-have-quantity", "message.lines.all(l, l.quantity > 0)")));
        currencyInList = CompiledRules.compile(order, List.of(rule("known-currency", "message.currency in ['EUR', 'USD']")));
        afterTimestampLiteral = CompiledRules.compile(order,
                List.of(rule("recent", "message.placedAt > timestamp('2020-01-01T00:00:00Z')")));
        contractRules = CompiledRules.compile(order, List.of(
                rule("positive-total", "message.totalAmount > 0"),
                rule("lines-have-quantity", "message.lines.all(l, l.quantity > 0)"),
                rule("known-currency", "message.currency in ['EUR', 'USD']"),
                rule("recent", "message.placedAt > timestamp('2020-01-01T00:00:00Z')")));
        for (CompiledRules rules : List.of(positiveTotal, longField, allLines, currencyInList, afterTimestampLiteral, contractRules)) {
            if (rules.check(rawOrder) != null || rules.check(convertedOrder) != null) {
                throw new IllegalStateException("the benchmark's records must pass every rule");
            }
        }
    }

    private static QualityRule rule(String name, String expr) {
        return new QualityRule(name, expr, null, OnFailure.DLQ, 0);
    }

    private static ByteBuffer decimal(String value) {
        return new Conversions.DecimalConversion().toBytes(new BigDecimal(value), null, LogicalTypes.decimal(12, 2));
    }

    private static GenericRecord order(Schema order, Object total, Object unitPrice, Object placedAt) {
        Schema line = order.getField("lines").schema().getElementType();
        List<GenericRecord> lines = List.of(1, 2, 3).stream().map(q -> (GenericRecord) new GenericRecordBuilder(line)
                .set("sku", new Utf8("SKU-" + q)).set("quantity", q).set("unitPrice", unitPrice).build()).toList();
        return new GenericRecordBuilder(order)
                .set("orderId", new Utf8("o-1"))
                .set("customerId", new Utf8("c-1"))
                .set("currency", new GenericData.EnumSymbol(order.getField("currency").schema(), "EUR"))
                .set("totalAmount", total)
                .set("lines", new GenericData.Array<>(order.getField("lines").schema(), lines))
                .set("placedAt", placedAt)
                .set("attributes", Map.of())
                .set("itemCount", 3L)
                .build();
    }

    /** The contract example, on a decimal as Avro decodes it without conversions. */
    @Benchmark
    public RuleFailure positiveTotalOnRawDecimal() {
        return positiveTotal.check(rawOrder);
    }

    @Benchmark
    public RuleFailure positiveTotalOnBigDecimal() {
        return positiveTotal.check(convertedOrder);
    }

    /** The floor: one field read with no conversion beyond boxing. */
    @Benchmark
    public RuleFailure longFieldGreaterThanZero() {
        return longField.check(rawOrder);
    }

    @Benchmark
    public RuleFailure allOfThreeLines() {
        return allLines.check(rawOrder);
    }

    @Benchmark
    public RuleFailure enumInLiteralList() {
        return currencyInList.check(rawOrder);
    }

    /** CEL parses the literal's text on every evaluation; constant folding does not fold timestamps. */
    @Benchmark
    public RuleFailure timestampAfterLiteral() {
        return afterTimestampLiteral.check(rawOrder);
    }

    @Benchmark
    public RuleFailure fourRulesOfAContract() {
        return contractRules.check(rawOrder);
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(RuleEvaluationBenchmark.class.getName()).build()).run();
    }
}
