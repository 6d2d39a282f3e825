package dev.mesh.sdk.ops;

import com.fasterxml.jackson.databind.JsonNode;

/** A decoded record for people and scripts. {@code error} is set instead of {@code value} when it cannot be decoded. */
public record TailRecord(String topic, String key, int partition, long offset, long timestamp, JsonNode value, String error) {
}
