package dev.mesh.sdk;

/** Handles one record; throwing means "not handled" and the subscriber retries, then dead-letters it. */
@FunctionalInterface
public interface RecordHandler<T> {
    void handle(ProductRecord<T> record) throws Exception;
}
