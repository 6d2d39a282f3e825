package dev.mesh.sdk.encryption;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.subtle.Hkdf;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Map;

/**
 * Confluent's {@code local-kms}: the KEK is derived from a secret (HKDF-SHA256, no salt, no info, 16 bytes) and used
 * as AES-128-GCM, whatever the key id. The secret is the {@code secret} setting, else the environment's
 * {@code LOCAL_SECRET}. For development and for a mesh on one machine; a production mesh uses a real KMS's driver.
 */
public final class LocalKms implements KmsDriver {
    public static final String TYPE = "local-kms";
    public static final String SECRET = "secret";

    @Override
    public String kmsType() {
        return TYPE;
    }

    @Override
    public Aead kek(String kmsKeyId, Map<String, String> config) throws GeneralSecurityException {
        String secret = config.get(SECRET);
        if (secret == null || secret.isEmpty()) {
            secret = System.getenv("LOCAL_SECRET");
        }
        if (secret == null || secret.isEmpty()) {
            throw new GeneralSecurityException("cannot load secret: set '" + SECRET + "' or LOCAL_SECRET for " + TYPE);
        }
        return new AesGcmJce(derive(secret));
    }

    /** The KEK's AES-128 key for a secret, as Confluent derives it. */
    public static byte[] derive(String secret) throws GeneralSecurityException {
        return Hkdf.computeHkdf("HmacSha256", secret.getBytes(StandardCharsets.UTF_8), null, null, 16);
    }
}
