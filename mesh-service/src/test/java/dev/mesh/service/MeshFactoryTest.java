package dev.mesh.service;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mesh's settings of a service: one name each, from properties or the environment, checked when read. */
class MeshFactoryTest {
    @Test
    void streamsSettingsComeFromEnvVarsUnderTheirKafkaNames() {
        assertThat(MeshFactory.streamsFromEnv(Map.of(
                "MESH_STREAMS_STATE_DIR", "/var/lib/mesh/streams",
                "MESH_STREAMS_COMMIT_INTERVAL_MS", "200",
                "MESH_STREAMS_", "nothing to name",
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "PATH", "/usr/bin")))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "mesh.streams.state.dir", "/var/lib/mesh/streams",
                        "mesh.streams.commit.interval.ms", "200"));
    }

    @Test
    void everySettingReachesTheSdkUnderItsOneName() {
        Map<String, Object> config = config(Map.of("mesh.rocksdb.memory.bytes", "33554432", "mesh.provision", "apply",
                "mesh.replication.factor", "2", "mesh.encryption.key-ttl", "PT2M", "mesh.clock", "fixed:2027-01-01T00:00:00Z",
                "mesh.domain", "finance", "mesh.app", "finance-1", "mesh.streams.commit.interval.ms", "100", "mesh.instance", "finance-2"));
        assertThat(config).containsEntry("mesh.rocksdb.memory.bytes", "33554432").containsEntry("mesh.provision", "apply")
                .containsEntry("mesh.replication.factor", "2").containsEntry("mesh.encryption.key-ttl", "PT2M")
                .containsEntry("mesh.clock", "fixed:2027-01-01T00:00:00Z").containsEntry("mesh.domain", "finance")
                .containsEntry("mesh.app", "finance-1").containsEntry("mesh.streams.commit.interval.ms", "100")
                .containsEntry("mesh.instance", "finance-2");
        assertThat(config(Map.of())).as("the defaults").containsEntry("mesh.provision", "require")
                .doesNotContainKeys("mesh.replication.factor", "mesh.rocksdb.memory.bytes", "mesh.instance");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mesh.provision | sometimes | require (the default) or apply",
            "mesh.replication.factor | 0 | a whole number from 1 to 32767",
            "mesh.replication.factor | three | a whole number from 1 to 32767",
            "mesh.rocksdb.memory.bytes | 64MB | a whole number from 1 up",
            "mesh.encryption.key-ttl | soon | seconds or an ISO-8601 duration such as PT1M, not negative",
            "mesh.clock | yesterday | fixed:<instant>, e.g. fixed:2027-01-01T00:00:00Z",
            "mesh.domain | Finance-Team | a domain's name: lower-case letters and digits",
            "mesh.instance | finance 2 | a name of letters, digits, '.', '_' and '-' (at most 200), e.g. finance-2"})
    void aValueThatDoesNotFitNamesItsKeyAndValue(String key, String value, String expected) {
        assertThatThrownBy(() -> config(Map.of(key, value))).isInstanceOf(ConfigurationException.class)
                .hasMessage(key + " is '" + value + "': expected " + expected);
    }

    /** In a JVM of its own with these variables set, as compose and Kubernetes set them. */
    @Test
    void everySettingComesFromTheEnvironment() throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, PrintMeshConfig.class.getName()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("MESH_PROVISION", "apply", "MESH_REPLICATION_FACTOR", "2",
                "MESH_ROCKSDB_MEMORY_BYTES", "1048576", "MESH_ENCRYPTION_KEY_TTL", "PT2M", "MESH_APP", "from-env",
                "MESH_STREAMS_STATE_DIR", "/tmp/state", "MESH_INSTANCE", "finance-2"));
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> lines = new ArrayList<>(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        assertThat(lines).as("exit " + process.exitValue()).contains("mesh.provision=apply", "mesh.replication.factor=2",
                "mesh.rocksdb.memory.bytes=1048576", "mesh.encryption.key-ttl=PT2M", "mesh.app=from-env",
                "mesh.streams.state.dir=/tmp/state", "mesh.instance=finance-2");
    }

    static Map<String, Object> config(Map<String, Object> properties) {
        try (ApplicationContext context = ApplicationContext.builder().properties(properties).start()) {
            return MeshFactory.meshConfig(context.getEnvironment(), context.getBean(MeshSettings.class));
        }
    }

    /** Prints the SDK's settings as a service would build them, one key=value per line. */
    public static final class PrintMeshConfig {
        public static void main(String[] args) {
            new java.util.TreeMap<>(config(Map.of())).forEach((k, v) -> System.out.println(k + "=" + v));
        }
    }
}
