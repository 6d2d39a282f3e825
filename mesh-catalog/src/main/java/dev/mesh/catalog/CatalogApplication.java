package dev.mesh.catalog;

import io.micronaut.runtime.Micronaut;

/** The web catalog as a process of its own; its settings are in application-catalog.yml. */
public final class CatalogApplication {
    /** The Micronaut environment the catalog's beans and settings belong to, so it can share a JVM with the domains. */
    public static final String ENV = "catalog";

    private CatalogApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(CatalogApplication.class).environments(ENV).start();
    }
}
