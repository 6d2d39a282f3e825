package dev.mesh.sdk.internal.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Encodes values of one schema, already registered under one id, into the wire format. The per-record path
 * reuses a per-thread buffer and Avro encoder; the only allocation is the returned array Kafka needs. A value that
 * fails to encode leaves nothing behind: the next value's bytes are its own alone.
 */
public final class AvroEncoder<T> {
    private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

    private final int schemaId;
    private final Schema schema;
    private final DatumWriter<T> writer;

    @SuppressWarnings("unchecked")
    public AvroEncoder(Schema schema, int schemaId, GenericData model) {
        this.schema = schema;
        this.schemaId = schemaId;
        this.writer = (DatumWriter<T>) model.createDatumWriter(schema);
    }

    public int schemaId() {
        return schemaId;
    }

    public Schema schema() {
        return schema;
    }

    public byte[] encode(T value) {
        Buffer buffer = BUFFERS.get();
        buffer.reset();
        try {
            writer.write(value, buffer.encoder);
            buffer.encoder.flush();
        } catch (IOException | RuntimeException e) {
            // The buffered encoder still holds the failed record's bytes and would write them in front of the next
            // record: this thread starts again with a new buffer and encoder.
            BUFFERS.remove();
            throw new SerializationException("cannot encode a " + schema.getFullName() + " with schema id "
                    + schemaId + ": " + e.getMessage(), e);
        }
        return buffer.toFramedArray(schemaId);
    }

    /**
     * A growable byte buffer that leaves room for the header and hands Avro one reusable encoder: a buffered one,
     * which hands over a record's bytes in one {@code write} at the flush instead of a call per byte.
     */
    private static final class Buffer extends OutputStream {
        private byte[] bytes = new byte[1024];
        private int size;
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(this, null);

        void reset() {
            size = WireFormat.HEADER_SIZE;
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        byte[] toFramedArray(int schemaId) {
            byte[] out = Arrays.copyOf(bytes, size);
            WireFormat.writeHeader(out, schemaId);
            return out;
        }
    }
}
