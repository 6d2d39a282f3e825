package dev.mesh.sdk.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/** Who consumes a product: a consumer group (a subscriber, or a Streams app's application id) and its app. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConsumerEntry(String group, String topic, String product, String app, String kind, Instant updatedAt) {
    public static final String SUBSCRIBER = "subscriber";
    public static final String STREAMS = "streams";
}
