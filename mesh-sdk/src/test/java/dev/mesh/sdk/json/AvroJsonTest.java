package dev.mesh.sdk.json;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AvroJsonTest {
    private static final Schema DECIMAL = LogicalTypes.decimal(12, 2).addToSchema(Schema.create(Schema.Type.BYTES));
    private static final Schema LINE = SchemaBuilder.record("Line").fields()
            .requiredString("sku").name("price").type(DECIMAL).noDefault().endRecord();
    private static final Schema ORDER = SchemaBuilder.record("Order").fields()
            .name("email").prop("confluent:tags", List.of("PII")).type().stringType().noDefault()
            .name("lines").type().array().items(LINE).noDefault()
            .name("attributes").type().map().values().longType().noDefault()
            .name("placedAt").type().stringType().noDefault()
            .endRecord();

    @Test
    void aRecordIsPlainJsonWithDecimalsAsWrittenAndTaggedFieldsMasked() {
        GenericRecord line = new GenericData.Record(LINE);
        line.put("sku", "SKU-1");
        line.put("price", new BigDecimal("12.50"));
        GenericRecord order = new GenericData.Record(ORDER);
        order.put("email", "ann@example.com");
        order.put("lines", List.of(line));
        order.put("attributes", Map.of("n", 3L));
        order.put("placedAt", Instant.parse("2026-12-07T10:00:00Z"));

        String expected = "{\"email\":\"ann@example.com\",\"lines\":[{\"sku\":\"SKU-1\",\"price\":12.50}],\"attributes\":{\"n\":3},"
                + "\"placedAt\":\"2026-12-07T10:00:00Z\"}";
        
        assertThat(AvroJson.text(order)).isEqualTo(expected);
        assertThat(AvroJson.toJson(order).toString()).isEqualTo(expected);
        assertThat(AvroJson.toJson(order, AvroJson.taggedWith(Set.of("PII"))).path("email").asText()).isEqualTo(AvroJson.MASK);
        assertThat(AvroJson.toJson(null).isNull()).isTrue();
    }
}
