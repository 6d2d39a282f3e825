package dev.mesh.sdk.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * A key-encryption key as Confluent's DEK Registry names it: where the KEK lives ({@code kmsType}, {@code kmsKeyId},
 * {@code kmsProps}), never the key itself. {@code shared}: the registry may use the KEK to make and unwrap data keys
 * for authorized callers. {@code deleted} is present only when true.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Kek(String name, String kmsType, String kmsKeyId, Map<String, String> kmsProps, String doc,
                  Boolean shared, Long ts, Boolean deleted) {
    public boolean sharing() {
        return Boolean.TRUE.equals(shared);
    }

    public boolean softDeleted() {
        return Boolean.TRUE.equals(deleted);
    }
}
