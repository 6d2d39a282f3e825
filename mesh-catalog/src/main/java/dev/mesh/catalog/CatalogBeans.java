package dev.mesh.catalog;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.ops.MeshOps;
import dev.mesh.service.MeshFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

/** The catalog reads the mesh through the SDK, configured like every service of the mesh. */
@Requires(env = CatalogApplication.ENV)
@Factory
final class CatalogBeans {

    @Singleton
    @Bean(preDestroy = "close")
    Mesh mesh(Environment env, dev.mesh.service.MeshSettings settings, MeterRegistry meters) {
        return Mesh.connect(MeshFactory.meshConfig(env, settings), meters);
    }

    @Singleton
    MeshOps ops(Mesh mesh) {
        return new MeshOps(mesh);
    }
}
