package dev.mesh.sdk.encryption;

import com.google.crypto.tink.Aead;

import java.security.GeneralSecurityException;
import java.util.Map;

/**
 * A key management system holding key-encryption keys (KEKs), as Confluent's clients name them by {@code kmsType}
 * ({@code local-kms}, {@code aws-kms}, {@code gcp-kms}, {@code azure-kms}, {@code hcvault}). A driver for a real KMS
 * implements this and is listed in {@code META-INF/services/dev.mesh.sdk.encryption.KmsDriver}; the KEK's AEAD wraps
 * and unwraps data keys with empty associated data, as Confluent's drivers do, so keys wrapped by either side unwrap on
 * the other.
 */
public interface KmsDriver {
    /** The {@code kmsType} this driver serves. */
    String kmsType();

    /**
     * The KEK {@code kmsKeyId} as an AEAD.
     *
     * @param config the KEK's {@code kmsProps} over the client's settings (e.g. {@code secret} for the local KMS)
     */
    Aead kek(String kmsKeyId, Map<String, String> config) throws GeneralSecurityException;
}
