package dev.mesh.sales;

import io.micronaut.runtime.Micronaut;

/** The sales domain service. */
public final class SalesApplication {
    private SalesApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(SalesApplication.class, args);
    }
}
