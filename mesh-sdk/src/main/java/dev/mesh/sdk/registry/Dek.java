package dev.mesh.sdk.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A data key as Confluent's DEK Registry serves it: {@code encryptedKeyMaterial} (the key proto wrapped by its KEK,
 * standard base64) and, for a shared KEK and an authorized caller only, {@code keyMaterial} (the key proto itself).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Dek(String kekName, String subject, Integer version, String algorithm, String encryptedKeyMaterial,
                  String keyMaterial, Long ts, Boolean deleted) {
    public boolean softDeleted() {
        return Boolean.TRUE.equals(deleted);
    }

    public Dek withKeyMaterial(String material) {
        return new Dek(kekName, subject, version, algorithm, encryptedKeyMaterial, material, ts, deleted);
    }
}
