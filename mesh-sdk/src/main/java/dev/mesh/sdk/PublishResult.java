package dev.mesh.sdk;

/** Where a published record landed. */
public record PublishResult(String topic, int partition, long offset, long timestamp) {
}
