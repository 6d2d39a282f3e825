package dev.mesh.registry;

import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static dev.mesh.registry.RegistryTestBase.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** No domain may take the registry's whole key budget from the others: each has a twentieth of it. */
@ExtendWith(KafkaExtension.class)
class DekQuotaTest {

    @Test
    void aDomainsKeysStopAtItsShareAndOthersStillGetTheirs(TestKafka kafka) throws Exception {
        try (EmbeddedRegistry registry = EmbeddedRegistry.start(kafka.bootstrapServers(), 0, Map.of(
                "registry.topic", TestKafka.uniqueName("_schemas"), "registry.encryption.secret", RegistryProcess.SECRET,
                "registry.dek-max-keys", "60"))) {
            RegistryHttp http = new RegistryHttp(registry.url());
            String kek = "{\"name\":\"%s\",\"kmsType\":\"local-kms\",\"kmsKeyId\":\"k\",\"shared\":true}";
            ok(http.post("/dek-registry/v1/keks", kek.formatted("hog-pii")));
            ok(http.post("/dek-registry/v1/keks/hog-pii/deks/hog.a.v1-value", "{}"));
            ok(http.post("/dek-registry/v1/keks/hog-pii/deks/hog.b.v1-value", "{}"));
            RegistryHttp.Reply fourth = http.post("/dek-registry/v1/keks/hog-pii/deks/hog.c.v1-value", "{}");
            assertThat(fourth.status()).as(fourth.text()).isEqualTo(409);
            assertThat(fourth.errorCode()).isEqualTo(40972);
            assertThat(fourth.message()).contains("3 keys", "hog");
            assertThat(http.post("/dek-registry/v1/keks", kek.formatted("hog-more")).errorCode()).as("nor another KEK").isEqualTo(40972);
            ok(http.post("/dek-registry/v1/keks", kek.formatted("quiet-pii")));
            ok(http.post("/dek-registry/v1/keks/quiet-pii/deks/quiet.a.v1-value", "{}"));
        }
    }
}
