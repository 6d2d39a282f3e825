package dev.mesh.sdk.internal.quality;

import com.google.protobuf.ByteString;
import com.google.protobuf.NullValue;
import com.google.protobuf.Timestamp;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AvroToCelTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.00", "12.50", "-0.01", "-128.00", "99999999.99", "-99999999.99", "1234567890123456.78",
            "-92233720368547758.08", "0.07"})
    void decimalsBecomeTheNearestDouble(String text) {
        BigDecimal value = new BigDecimal(text);
        LogicalTypes.Decimal type = LogicalTypes.decimal(20, 2);
        ByteBuffer bytes = new Conversions.DecimalConversion().toBytes(value, null, type);
        int before = bytes.position();

        assertThat(AvroToCel.decimalToDouble(bytes, 2)).isEqualTo(value.doubleValue());
        assertThat(bytes.position()).as("the record's buffer is not consumed").isEqualTo(before);
        assertThat(AvroToCel.decimalToDouble(value, 2)).isEqualTo(value.doubleValue());
    }

    @Test
    void timestampsInEveryUnitAndBeforeTheEpoch() {
        Instant t = Instant.parse("1969-12-31T23:59:59.999Z");

        assertThat(AvroToCel.timestamp(t.toEpochMilli(), ChronoUnit.MILLIS))
                .isEqualTo(Timestamp.newBuilder().setSeconds(-1).setNanos(999_000_000).build());
        assertThat(AvroToCel.timestamp(-1L, ChronoUnit.MICROS))
                .isEqualTo(Timestamp.newBuilder().setSeconds(-1).setNanos(999_999_000).build());
        assertThat(AvroToCel.timestamp(1_500_000_001L, ChronoUnit.NANOS))
                .isEqualTo(Timestamp.newBuilder().setSeconds(1).setNanos(500_000_001).build());
        assertThat(AvroToCel.timestamp(t, ChronoUnit.MILLIS))
                .isEqualTo(Timestamp.newBuilder().setSeconds(-1).setNanos(999_000_000).build());
    }

    @Test
    void aRecordViewConvertsFieldsWhenRead() {
        Schema schema = SchemaBuilder.record("R").fields()
                .requiredInt("i").requiredFloat("f").requiredBytes("b").optionalString("s")
                .name("fx").type().fixed("F").size(2).noDefault()
                .name("many").type().unionOf().intType().and().stringType().endUnion().noDefault()
                .name("m").type().map().values().intType().noDefault()
                .endRecord();
        GenericRecord record = new GenericData.Record(schema);
        record.put("i", 7);
        record.put("f", 1.5f);
        record.put("b", ByteBuffer.wrap(new byte[]{1, 2}));
        record.put("s", null);
        record.put("fx", new GenericData.Fixed(schema.getField("fx").schema(), new byte[]{3, 4}));
        record.put("many", new Utf8("text"));
        record.put("m", Map.of(new Utf8("k"), 1));

        Map<String, Object> view = new RecordView(record, new AvroToCel().layout(schema));

        assertThat(view).containsEntry("i", 7L).containsEntry("f", 1.5d)
                .containsEntry("b", ByteString.copyFrom(new byte[]{1, 2}))
                .containsEntry("s", NullValue.NULL_VALUE)
                .containsEntry("fx", ByteString.copyFrom(new byte[]{3, 4}))
                .containsEntry("many", "text")
                .containsEntry("m", Map.of("k", 1L));
        assertThat(view.keySet()).containsExactly("i", "f", "b", "s", "fx", "many", "m");
        assertThat(view.containsKey("nope")).isFalse();
        assertThat(view.get("nope")).isNull();
    }

    @Test
    void nullableFieldsOfEveryKindCompareWithNull() {
        Schema schema = new Schema.Parser().parse("""
                {"type": "record", "name": "Opt", "fields": [
                  {"name": "n", "type": ["null", "int"]},
                  {"name": "d", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 5, "scale": 2}]},
                  {"name": "t", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}]},
                  {"name": "e", "type": ["null", {"type": "enum", "name": "E", "symbols": ["A", "B"]}]},
                  {"name": "xs", "type": ["null", {"type": "array", "items": "string"}]},
                  {"name": "either", "type": ["int", "string"]}]}""");
        String rule = "(message.n == null || message.n > 1) && (message.d == null || message.d > 0.5)"
                + " && (message.t == null || message.t > timestamp(0)) && (message.e == null || message.e == 'A')"
                + " && (message.xs == null || size(message.xs) > 0) && message.either != 0";
        CompiledRules rules = CompiledRules.compile(schema, List.of(new dev.mesh.sdk.contract.QualityRule("r", rule, null,
                dev.mesh.sdk.contract.QualityRule.OnFailure.ERROR, 0)));
        GenericRecord empty = new GenericData.Record(schema);
        empty.put("either", new Utf8("text"));
        GenericRecord full = new GenericData.Record(schema);
        full.put("n", 2);
        full.put("d", new Conversions.DecimalConversion().toBytes(new BigDecimal("1.25"), null, LogicalTypes.decimal(5, 2)));
        full.put("t", 1000L);
        full.put("e", new GenericData.EnumSymbol(schema.getField("e").schema().getTypes().get(1), "A"));
        full.put("xs", List.of(new Utf8("x")));
        full.put("either", 5);

        assertThat(rules.check(empty)).isNull();
        assertThat(rules.check(full)).isNull();
        full.put("n", 0);
        assertThat(rules.check(full)).isNotNull();
    }

    @Test
    void recursiveSchemasDoNotLoop() {
        Schema node = new Schema.Parser().parse("""
                {"type": "record", "name": "Node", "fields": [
                  {"name": "value", "type": "int"},
                  {"name": "next", "type": ["null", "Node"], "default": null}]}""");
        GenericRecord second = new GenericData.Record(node);
        second.put("value", 2);
        GenericRecord first = new GenericData.Record(node);
        first.put("value", 1);
        first.put("next", second);

        CompiledRules rules = CompiledRules.compile(node, List.of(new dev.mesh.sdk.contract.QualityRule("chain",
                "message.next != null && message.next.value == 2 && message.next.next == null", null,
                dev.mesh.sdk.contract.QualityRule.OnFailure.ERROR, 0)));

        assertThat(rules.check(first)).isNull();
        assertThat(rules.check(second)).isNotNull();
    }
}
