package dev.mesh.sdk.internal.serde;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The streaming writer (SQL loads) writes exactly the JSON the tree builder (tail, catalog) makes, for every kind of value. */
class AvroJsonTest {

    @Test
    void theStreamingWriterWritesWhatTheTreeHolds() throws Exception {
        Schema fixed = SchemaBuilder.fixed("Hash").size(2);
        Schema schema = SchemaBuilder.record("R").fields()
                .requiredString("text")
                .requiredBytes("raw")
                .name("hash").type(fixed).noDefault()
                .requiredLong("count")
                .requiredDouble("ratio")
                .requiredBoolean("flag")
                .name("items").type().array().items().intType().noDefault()
                .name("labels").type().map().values().stringType().noDefault()
                .optionalString("maybe")
                .endRecord();
        GenericRecord r = new GenericData.Record(schema);
        r.put("text", "a \"quoted\" text");
        r.put("raw", ByteBuffer.wrap(new byte[]{1, 2, 3}));
        r.put("hash", new GenericData.Fixed(fixed, new byte[]{9, 8}));
        r.put("count", Long.MAX_VALUE);
        r.put("ratio", 0.5);
        r.put("flag", true);
        r.put("items", List.of(1, 2));
        r.put("labels", Map.of("k", "v"));
        r.put("maybe", null);
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            AvroJson.write(g, r);
        }
        assertThat(new ObjectMapper().readTree(out.toString())).isEqualTo(AvroJson.toJson(r));
        assertThat(out.toString()).contains("\"raw\":\"AQID\"", "\"hash\":\"CQg=\"");

        StringWriter logical = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(logical)) {
            AvroJson.write(g, List.of(new BigDecimal("12.50"), Instant.parse("2026-12-05T10:00:00Z")));
        }
        assertThat(logical.toString()).isEqualTo("[12.50,\"2026-12-05T10:00:00Z\"]");
    }
}
