package dev.mesh.service;

import dev.mesh.sdk.PublishResult;
import io.micronaut.serde.annotation.Serdeable;

/** What intake answers (202): the record's id and where it landed. */
@Serdeable
public record Accepted(String id, String topic, int partition, long offset) {
    public static Accepted of(String id, PublishResult result) {
        return new Accepted(id, result.topic(), result.partition(), result.offset());
    }
}
