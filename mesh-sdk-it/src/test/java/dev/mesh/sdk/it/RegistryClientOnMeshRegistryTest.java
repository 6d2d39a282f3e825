package dev.mesh.sdk.it;

import dev.mesh.sdk.Mesh;
import dev.mesh.testkit.KafkaExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SDK's expectations of a registry, against ours. */
@ExtendWith({KafkaExtension.class, TestMesh.class})
class RegistryClientOnMeshRegistryTest extends RegistryClientExpectations {
    @Override
    Mesh connect(TestMesh t, String app) {
        return t.connect(app);
    }
}
