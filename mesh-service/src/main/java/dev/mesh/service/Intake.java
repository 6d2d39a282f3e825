package dev.mesh.service;

import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.intake.JsonRecordReader;
import dev.mesh.sdk.intake.RecordRefusedException;
import org.apache.avro.generic.IndexedRecord;

/**
 * HTTP intake of one product: the JSON body is read through the product's schema and contract (every field, type
 * and bound, see {@link JsonRecordReader}; fields the body leaves out take the contract's {@code intake.fill}),
 * then published under the contract.
 */
public final class Intake<T> {
    private final Publisher<T> publisher;
    private final JsonRecordReader<T> reader;
    private final int keyPosition;

    private Intake(Publisher<T> publisher) {
        this.publisher = publisher;
        this.reader = JsonRecordReader.of(publisher.contract(), publisher.type());
        this.keyPosition = publisher.contract().schema().getField(publisher.contract().keyField()).pos();
    }

    public static <T> Intake<T> of(Publisher<T> publisher) {
        return new Intake<>(publisher);
    }

    /** @throws RecordRefusedException naming every problem with the body (400, or 413 for size) */
    public Accepted accept(byte[] body) {
        T record = reader.read(body);
        String id = String.valueOf(((IndexedRecord) record).get(keyPosition));
        return Publishing.publish(publisher, id, record);
    }
}
