package dev.mesh.sdk.ops;

import com.fasterxml.jackson.databind.JsonNode;

/** A dead-lettered record: what rule or stage refused it, why, and where it came from. */
public record DeadLetter(String dlqTopic, long offset, int partition, String key, long timestamp, String rule, String reason,
                         String originTopic, JsonNode value) {
}
