package dev.mesh.sdk.internal.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format: byte 0 is the magic 0x00, bytes 1-4 the schema id (int32, big-endian), then the
 * Avro binary encoding of the value, with no container or single-object header.
 */
public final class WireFormat {
    public static final byte MAGIC = 0x0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** The schema id of a framed value; says exactly what is wrong with bytes that are not framed. */
    public static int schemaId(byte[] data) {
        if (data.length < HEADER_SIZE) {
            throw new SerializationException("not in Confluent wire format: " + data.length
                    + " bytes, fewer than the 5-byte header (magic byte + schema id)");
        }
        if (data[0] != MAGIC) {
            throw new SerializationException(String.format(
                    "not in Confluent wire format: unknown magic byte 0x%02x (expected 0x00)", data[0]));
        }
        return ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
    }

    static void writeHeader(byte[] target, int schemaId) {
        target[0] = MAGIC;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }
}
