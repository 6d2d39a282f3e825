package dev.mesh.sdk.encryption;

import com.google.crypto.tink.proto.AesGcmKey;
import com.google.crypto.tink.proto.AesSivKey;
import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.subtle.AesSiv;
import com.google.protobuf.ByteString;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * The data key algorithms of Confluent's client-side field encryption, with its key format: a DEK is the serialized
 * Tink key proto ({@code AesGcmKey} or {@code AesSivKey}, version 0), so a key made here is one Confluent's
 * clients use and the reverse. Ciphertexts carry no Tink prefix: GCM is IV(12) || ciphertext || tag(16), SIV is
 * SIV(16) || ciphertext, both with empty associated data.
 */
public enum DekAlgorithm {
    AES128_GCM(16), AES256_GCM(32), AES256_SIV(64);

    private static final byte[] NO_ASSOCIATED_DATA = new byte[0];
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int keySize;

    DekAlgorithm(int keySize) {
        this.keySize = keySize;
    }

    /** {@code AES256_GCM}, as in a rule's {@code encrypt.dek.algorithm} or the DEK Registry's {@code algorithm}. */
    public static Optional<DekAlgorithm> parse(String name) {
        return Arrays.stream(values()).filter(a -> a.name().equals(name)).findFirst();
    }

    public boolean deterministic() {
        return this == AES256_SIV;
    }

    /** A new data key, as the key proto's bytes. */
    public byte[] generateKey() {
        byte[] raw = new byte[keySize];
        RANDOM.nextBytes(raw);
        return keyProto(raw);
    }

    /** The key proto holding {@code raw} key bytes. */
    public byte[] keyProto(byte[] raw) {
        ByteString value = ByteString.copyFrom(raw);
        return deterministic() ? AesSivKey.newBuilder().setKeyValue(value).build().toByteArray()
                : AesGcmKey.newBuilder().setKeyValue(value).build().toByteArray();
    }

    /** The cipher of a key proto made by any of Confluent's clients or by {@link #generateKey()}. */
    public FieldCipher cipher(byte[] keyProto) throws GeneralSecurityException {
        byte[] raw = rawKey(keyProto);
        if (deterministic()) {
            AesSiv siv = new AesSiv(raw);
            return new FieldCipher() {
                @Override
                public byte[] encrypt(byte[] plaintext) throws GeneralSecurityException {
                    return siv.encryptDeterministically(plaintext, NO_ASSOCIATED_DATA);
                }

                @Override
                public byte[] decrypt(byte[] ciphertext) throws GeneralSecurityException {
                    return siv.decryptDeterministically(ciphertext, NO_ASSOCIATED_DATA);
                }
            };
        }
        AesGcmJce gcm = new AesGcmJce(raw);
        return new FieldCipher() {
            @Override
            public byte[] encrypt(byte[] plaintext) throws GeneralSecurityException {
                return gcm.encrypt(plaintext, NO_ASSOCIATED_DATA);
            }

            @Override
            public byte[] decrypt(byte[] ciphertext) throws GeneralSecurityException {
                return gcm.decrypt(ciphertext, NO_ASSOCIATED_DATA);
            }
        };
    }

    private byte[] rawKey(byte[] keyProto) throws GeneralSecurityException {
        try {
            ByteString value = deterministic()
                    ? AesSivKey.parseFrom(keyProto, ExtensionRegistryLite.getEmptyRegistry()).getKeyValue()
                    : AesGcmKey.parseFrom(keyProto, ExtensionRegistryLite.getEmptyRegistry()).getKeyValue();
            if (value.size() != keySize) {
                throw new GeneralSecurityException("a " + name() + " key has " + keySize + " bytes, not " + value.size());
            }
            return value.toByteArray();
        } catch (InvalidProtocolBufferException e) {
            throw new GeneralSecurityException("not a " + name() + " key: " + e.getMessage(), e);
        }
    }
}
