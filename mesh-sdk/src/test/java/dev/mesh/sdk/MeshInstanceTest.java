package dev.mesh.sdk;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A {@code mesh.instance} that Kafka would refuse as a group instance id is refused when the mesh is made, by name. */
class MeshInstanceTest {
    @Test
    void anInstanceNameKafkaWouldRefuseStopsTheConnectNamingTheSetting() {
        assertThatThrownBy(() -> Mesh.connect(Map.of("bootstrap.servers", "127.0.0.1:1", Mesh.INSTANCE, "finance 2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mesh.instance is 'finance 2': expected " + Mesh.INSTANCE_EXPECTED);
    }
}
