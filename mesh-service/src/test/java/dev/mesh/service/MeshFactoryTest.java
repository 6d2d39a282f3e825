package dev.mesh.service;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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
    void theRocksDbBudgetReachesTheSdkWhereverItIsSet() {
        try (var context = io.micronaut.context.ApplicationContext.builder()
                .properties(Map.of("mesh.rocksdb.memory.bytes", "33554432")).build()) {
            context.getEnvironment().start();
            assertThat(MeshFactory.meshConfig(context.getEnvironment())).containsEntry("mesh.rocksdb.memory.bytes", "33554432");
        }
    }
}
