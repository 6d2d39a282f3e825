package dev.mesh.service;

import dev.mesh.sdk.intake.JsonRecordReader;
import dev.mesh.sdk.intake.RecordRefusedException;
import dev.mesh.sdk.publish.Publisher;
import org.apache.avro.generic.IndexedRecord;

import java.util.Map;
import java.util.function.Supplier;

/**
 * HTTP intake of one product: the JSON body is read through the product's schema and contract (every field, type
 * and bound, see {@link JsonRecordReader}), then published under the contract. An endpoint adds only what is truly
 * its own: the values it fills in when a body leaves a field out, such as a new id or the current time.
 */
public final class Intake<T> {
    private final Publisher<T> publisher;
    private final JsonRecordReader<T> reader;
    private final int keyPosition;

    private Intake(Publisher<T> publisher, Class<T> type) {
        this.publisher = publisher;
        this.reader = JsonRecordReader.of(publisher.contract(), type);
        this.keyPosition = publisher.contract().schema().getField(publisher.contract().keyField()).pos();
    }

    public static <T> Intake<T> of(Publisher<T> publisher, Class<T> type) {
        return new Intake<>(publisher, type);
    }

    /**
     * @param supplied top-level fields the service fills in when the body leaves them out
     * @throws RecordRefusedException naming every problem with the body (400, or 413 for size)
     */
    public Accepted accept(byte[] body, Map<String, Supplier<?>> supplied) {
        T record = reader.read(body, supplied);
        String id = String.valueOf(((IndexedRecord) record).get(keyPosition));
        return Publishing.publish(publisher, id, record);
    }
}
