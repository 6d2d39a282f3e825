package dev.mesh.local;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Closing the mesh closes every part it runs, also when one of them has stopped already. */
class LocalMeshCloseTest {
    @Test
    void aServiceStoppedBeforeTheMeshDoesNotLeaveTheOthersRunning(@TempDir Path data) {
        LocalMesh mesh = LocalMesh.start(LocalMesh.Settings.ephemeral(data, 0));
        Map<String, ApplicationContext> contexts = mesh.contexts();
        String first = contexts.keySet().stream().filter(name -> !name.startsWith("registry")).findFirst().orElseThrow();
        contexts.get(first).close();

        mesh.close();

        assertThat(contexts).allSatisfy((name, context) -> assertThat(context.isRunning()).as(name + " running").isFalse());
    }
}
