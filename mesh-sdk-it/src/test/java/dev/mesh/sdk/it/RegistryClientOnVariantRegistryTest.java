package dev.mesh.sdk.it;

import dev.mesh.sdk.Mesh;
import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.VariantRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK's expectations of a registry, against one that answers 404/40401 to a compatibility check of a new
 * subject, ignores metadata and rule sets, and answers 40401 for the latest version of an unknown subject.
 */
@ExtendWith({KafkaExtension.class, TestMesh.class})
class RegistryClientOnVariantRegistryTest extends RegistryClientExpectations {
    private static VariantRegistry registry;

    @BeforeAll
    static void start() {
        registry = VariantRegistry.start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Override
    Mesh connect(TestMesh t, String app) {
        return connect(t, app, registry.url());
    }

    @Test
    void theVariantsAreReallyExercised(TestMesh t) {
        aProductRegistersForTheFirstTimeOnAnEmptySubject(t);
        assertThat(registry.requests()).anyMatch(r -> r.startsWith("POST /compatibility/subjects/"));
    }
}
