package dev.mesh.sdk;

/** One record of a product as a subscriber's handler sees it. */
public record ProductRecord<T>(String key, T value, String topic, int partition, long offset, long timestamp) {
}
