package dev.mesh.sdk.internal.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A serde for a Streams app's own state (stores, changelogs, repartition topics): Avro's single-object encoding,
 * whose fingerprint header makes a schema change fail loudly. No registry involved: internal state is not a
 * product, and must not clutter the registry with changelog subjects.
 */
public final class StateSerde<T> implements Serde<T> {
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final Schema schema;

    public StateSerde(Class<T> type) {
        GenericData model = AvroModels.forClass(type);
        this.schema = model instanceof org.apache.avro.specific.SpecificData s ? s.getSchema(type) : null;
        if (schema == null) {
            throw new IllegalArgumentException(type.getName() + " is not a generated Avro class");
        }
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                ByteBuffer buffer = encoder.encode(value);
                byte[] out = new byte[buffer.remaining()];
                buffer.get(out);
                return out;
            } catch (IOException e) {
                throw new SerializationException("cannot encode state " + schema.getFullName() + " for " + topic, e);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                return decoder.decode(data);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("cannot decode state " + schema.getFullName() + " from " + topic
                        + ": " + e.getMessage(), e);
            }
        };
    }
}
