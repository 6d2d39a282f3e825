package dev.mesh.catalog;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.Map;

/** Starts the catalog in this JVM, beside the rest of the mesh ({@code mesh up}, tests). */
public final class CatalogServer {
    private CatalogServer() {
    }

    /**
     * @param properties overrides of application-catalog.yml, e.g. {@code kafka.bootstrap.servers},
     *                   {@code schema.registry.url}, {@code micronaut.server.port} (-1 picks a free one)
     */
    public static EmbeddedServer start(Map<String, Object> properties) {
        return ApplicationContext.run(EmbeddedServer.class, properties, CatalogApplication.ENV);
    }
}
