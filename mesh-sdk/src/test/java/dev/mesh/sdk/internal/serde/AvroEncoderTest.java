package dev.mesh.sdk.internal.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A value that fails to encode must leave nothing behind for the next value encoded on the same thread. */
class AvroEncoderTest {
    private static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "Order", "fields": [
              {"name": "orderId", "type": "string"},
              {"name": "note", "type": "string"},
              {"name": "lines", "type": {"type": "array", "items": "string"}},
              {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}}
            ]}""");

    @Test
    void failingAndValidValuesInterleavedOnOneThreadEachEncodeToExactlyTheirOwnBytes() throws IOException {
        AvroEncoder<GenericRecord> encoder = new AvroEncoder<>(SCHEMA, 42, AvroModels.generic());
        Random random = new Random(20261205L);
        List<GenericRecord> written = new ArrayList<>();
        List<byte[]> bytes = new ArrayList<>();
        int failures = 0;
        for (int i = 0; i < 2_000; i++) {
            // long strings and many lines put a failing value's bytes in the encoder's buffer before it fails
            GenericRecord value = order(random, "o-" + i);
            boolean poison = random.nextInt(3) == 0;
            if (poison) {
                value.put("amount", new BigDecimal("9".repeat(11 + random.nextInt(500)) + ".00"));
                assertThatThrownBy(() -> encoder.encode(value)).isInstanceOf(SerializationException.class)
                        .hasMessageContaining("schema id 42");
                failures++;
            } else {
                bytes.add(encoder.encode(value));
                written.add(value);
            }
        }
        assertThat(failures).isGreaterThan(500);
        GenericData model = AvroModels.generic();
        var reader = model.createDatumReader(SCHEMA);
        for (int i = 0; i < bytes.size(); i++) {
            byte[] framed = bytes.get(i);
            assertThat(WireFormat.schemaId(framed)).isEqualTo(42);
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(framed, WireFormat.HEADER_SIZE,
                    framed.length - WireFormat.HEADER_SIZE, null);
            Object decoded = reader.read(null, decoder);
            assertThat(decoded).as("record %d", i).isEqualTo(written.get(i));
            assertThat(decoder.isEnd()).as("record %d holds no bytes but its own", i).isTrue();
        }
    }

    private static GenericRecord order(Random random, String id) {
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("orderId", id);
        r.put("note", "n".repeat(random.nextInt(3_000)));
        List<String> lines = new ArrayList<>();
        for (int i = random.nextInt(50); i > 0; i--) {
            lines.add("sku-" + random.nextInt(1_000));
        }
        r.put("lines", lines);
        r.put("amount", BigDecimal.valueOf(random.nextInt(1_000_000), 2));
        return r;
    }
}
