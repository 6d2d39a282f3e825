package dev.mesh.service;

import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.intake.JsonRecordReader;
import dev.mesh.sdk.intake.RecordRefusedException;
import dev.mesh.sdk.migration.MajorMigration;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;

import java.util.function.Function;

/**
 * HTTP intake of one product: the JSON body is read through the product's schema and contract (every field, type
 * and bound, see {@link JsonRecordReader}; fields the body leaves out take the contract's {@code intake.fill}),
 * then published under the contract.
 */
public final class Intake<T> {
    private final Publisher<T> publisher;
    private final Function<byte[], T> reader;
    private final int keyPosition;

    private Intake(Publisher<T> publisher, Function<byte[], T> reader) {
        this.publisher = publisher;
        this.reader = reader;
        this.keyPosition = publisher.contract().schema().getField(publisher.contract().keyField()).pos();
    }

    public static <T> Intake<T> of(Publisher<T> publisher) {
        return new Intake<>(publisher, JsonRecordReader.of(publisher.contract(), publisher.type())::read);
    }

    /**
     * Intake of a major fed by a migration bridge: the body is read as a record of that major, upgraded, and
     * published to the successor ({@code publisher}), from where the bridge feeds it back, so its clients keep
     * working while only the successor is written.
     */
    public static <T> Intake<T> upgrading(ProductContract older, MajorMigration migration, Publisher<T> publisher) {
        JsonRecordReader<GenericRecord> olderReader = JsonRecordReader.of(older, GenericRecord.class);
        return new Intake<>(publisher, body -> migration.upgrade(olderReader.read(body), publisher.type()));
    }

    /** @throws RecordRefusedException naming every problem with the body (400, or 413 for size) */
    public Accepted accept(byte[] body) {
        T record = reader.apply(body);
        String id = String.valueOf(((IndexedRecord) record).get(keyPosition));
        return Publishing.publish(publisher, id, record);
    }
}
