package dev.mesh.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.testkit.Await;
import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static dev.mesh.registry.RegistryTestBase.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DEK Registry under the registry's election: keys written through a follower are written by the leader (its own
 * JVM), and after the leader is killed the follower, now leading, serves the same keys and writes new ones.
 */
@ExtendWith(KafkaExtension.class)
class DekFailoverTest {

    @Test
    void keysWrittenThroughAFollowerSurviveTheLeadersDeath(TestKafka kafka) throws Exception {
        String topic = TestKafka.uniqueName("_schemas");
        try (RegistryProcess leader = RegistryProcess.start(kafka.bootstrapServers(), topic);
             EmbeddedRegistry follower = EmbeddedRegistry.start(kafka.bootstrapServers(), 0,
                     Map.of("registry.topic", topic, "registry.encryption.secret", RegistryProcess.SECRET))) {
            RegistryHttp hf = new RegistryHttp(follower.url());
            Await.until(Duration.ofSeconds(30), "the follower to follow the first instance",
                    () -> hf.role().leader().equals(leader.url()));

            String kek = "ha-" + TestKafka.uniqueName("kek").replace('.', '-');
            ok(hf.post("/dek-registry/v1/keks", "{\"name\":\"" + kek + "\",\"kmsType\":\"local-kms\",\"kmsKeyId\":\"" + kek
                    + "\",\"shared\":true}"));
            JsonNode made = ok(hf.post("/dek-registry/v1/keks/" + kek + "/deks/orders-value", "{\"algorithm\":\"AES256_SIV\"}")).json();
            assertThat(made.path("keyMaterial").asText()).as("made and wrapped by the leader, answered through the follower").isNotEmpty();
            assertThat(made.path("version").asInt()).isEqualTo(1);
            assertThat(hf.post("/dek-registry/v1/keks/" + kek + "/deks/orders-value", "{\"algorithm\":\"AES256_SIV\"}").status())
                    .as("the same key again").isEqualTo(409);

            leader.kill();
            Await.until(Duration.ofSeconds(60), "the follower to lead", () -> hf.role().role().equals("leader"));

            JsonNode served = ok(hf.get("/dek-registry/v1/keks/" + kek + "/deks/orders-value/versions/latest?algorithm=AES256_SIV")).json();
            assertThat(served.path("keyMaterial").asText()).isEqualTo(made.path("keyMaterial").asText());
            assertThat(served.path("encryptedKeyMaterial").asText()).isEqualTo(made.path("encryptedKeyMaterial").asText());
            JsonNode next = ok(hf.post("/dek-registry/v1/keks/" + kek + "/deks/orders-value",
                    "{\"algorithm\":\"AES256_SIV\",\"version\":2}")).json();
            assertThat(next.path("version").asInt()).isEqualTo(2);
            assertThat(hf.get("/dek-registry/v1/keks/" + kek + "/deks/orders-value/versions?algorithm=AES256_SIV").json().toString())
                    .isEqualTo("[1,2]");
        }
    }
}
