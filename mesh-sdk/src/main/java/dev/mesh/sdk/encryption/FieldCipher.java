package dev.mesh.sdk.encryption;

import java.security.GeneralSecurityException;

/** Encrypts and decrypts one field's bytes with one data key. */
public interface FieldCipher {
    byte[] encrypt(byte[] plaintext) throws GeneralSecurityException;

    byte[] decrypt(byte[] ciphertext) throws GeneralSecurityException;
}
