package dev.mesh.sdk.encryption;

import com.google.crypto.tink.Aead;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Known answers from Confluent's own client tests (confluent-kafka-javascript, schemaregistry/test/serde/avro.spec.ts,
 * the "preserialized" encryption cases, secret {@code mysecret}): our local KMS derives the same KEK, unwraps their
 * data keys and decrypts their fields, so records either side writes are read by the other (docs/csfle-format.md).
 */
class ConfluentFormatTest {
    private static final Map<String, String> SECRET = Map.of(LocalKms.SECRET, "mysecret");

    private static Aead kek() throws GeneralSecurityException {
        return new LocalKms().kek("mykey", SECRET);
    }

    private static byte[] unwrap(String encryptedKeyMaterial) throws GeneralSecurityException {
        return kek().decrypt(Base64.getDecoder().decode(encryptedKeyMaterial), new byte[0]);
    }

    @Test
    void theLocalKmsDerivesConfluentsKek() throws Exception {
        assertThat(HexFormat.of().formatHex(LocalKms.derive("mysecret"))).isEqualTo("1ae4d97ac1e81594bfd1993c1a75ee36");
    }

    @Test
    void aGcmFieldConfluentWroteDecrypts() throws Exception {
        byte[] dek = unwrap("07V2ndh02DA73p+dTybwZFm7DKQSZN1tEwQh+FoX1DZLk4Yj2LLu4omYjp/84tAg3BYlkfGSz+zZacJHIE4=");
        assertThat(HexFormat.of().formatHex(dek)).isEqualTo("1a2041e5234c24a6a4f85b1d8237e99a12df8722f0c21837556acd0ec7adde5869cf");
        byte[] field = Base64.getDecoder().decode("zgy/jFNMV/eFilaHrMyeBgdaVzrR0udGeotW8cA/Jal7ukr+M/yz");
        assertThat(new String(DekAlgorithm.AES256_GCM.cipher(dek).decrypt(field), StandardCharsets.UTF_8)).isEqualTo("hello world");
    }

    @Test
    void aSivFieldIsTheSameCiphertextBothWays() throws Exception {
        byte[] dek = unwrap("YSx3DTlAHrmpoDChquJMifmPntBzxgRVdMzgYL82rgWBKn7aUSnG+WIu9ozBNS3y2vXd++mBtK07w4/W/G6w0da39X9hfOVZsGnkSvry/QRht84V8yz3dqKxGMOK5A==");
        assertThat(dek).hasSize(66);
        FieldCipher siv = DekAlgorithm.AES256_SIV.cipher(dek);
        String confluents = "D6YtxrlBnkTWW9N6Vbk3IInjWH81xmYh3k4d";
        assertThat(new String(siv.decrypt(Base64.getDecoder().decode(confluents)), StandardCharsets.UTF_8)).isEqualTo("hello world");
        assertThat(Base64.getEncoder().encodeToString(siv.encrypt("hello world".getBytes(StandardCharsets.UTF_8))))
                .as("deterministic: equal values stay joinable across clients").isEqualTo(confluents);
    }

    @Test
    void aRotatedKeysFieldCarriesItsVersion() throws Exception {
        byte[] dek = unwrap("W/v6hOQYq1idVAcs1pPWz9UUONMVZW4IrglTnG88TsWjeCjxmtRQ4VaNe/I5dCfm2zyY9Cu0nqdvqImtUk4=");
        byte[] field = Base64.getDecoder().decode("AAAAAAG4HI6b1nXPXqLyG8cII35NHQseqqUCd+IeLeFVAeNpSS3fxPnJ32A=");
        assertThat(field[0]).isZero();
        assertThat(ByteBuffer.wrap(field, 1, 4).getInt()).isEqualTo(1);
        byte[] plain = DekAlgorithm.AES256_GCM.cipher(dek).decrypt(Arrays.copyOfRange(field, 5, field.length));
        assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo("hello world");
    }

    @Test
    void keysWeMakeAreTinkKeyProtosOfTheRightSize() throws Exception {
        assertThat(DekAlgorithm.AES256_GCM.generateKey()).hasSize(34).startsWith(0x1a, 0x20);
        assertThat(DekAlgorithm.AES128_GCM.generateKey()).hasSize(18).startsWith(0x1a, 0x10);
        assertThat(DekAlgorithm.AES256_SIV.generateKey()).hasSize(66).startsWith(0x12, 0x40);
        for (DekAlgorithm a : DekAlgorithm.values()) {
            FieldCipher c = a.cipher(a.generateKey());
            byte[] sealed = c.encrypt("x".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(c.decrypt(sealed), StandardCharsets.UTF_8)).isEqualTo("x");
        }
        assertThatThrownBy(() -> DekAlgorithm.AES256_GCM.cipher(DekAlgorithm.AES128_GCM.generateKey()))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("32 bytes");
    }

    @Test
    void aWrongSecretFailsToUnwrap() {
        assertThatThrownBy(() -> new LocalKms().kek("k", Map.of(LocalKms.SECRET, "other")).decrypt(Base64.getDecoder()
                .decode("07V2ndh02DA73p+dTybwZFm7DKQSZN1tEwQh+FoX1DZLk4Yj2LLu4omYjp/84tAg3BYlkfGSz+zZacJHIE4="), new byte[0]))
                .isInstanceOf(GeneralSecurityException.class);
    }
}
