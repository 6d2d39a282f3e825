package dev.mesh.registry.store;

/** One record of the {@code _schemas} topic: JSON key and JSON value, null value for a tombstone. */
public record StoreRecord(String key, String value) {
}
