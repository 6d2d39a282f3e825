package dev.mesh.finance;

import io.micronaut.runtime.Micronaut;

/** The finance domain service. */
public final class FinanceApplication {
    private FinanceApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(FinanceApplication.class, args);
    }
}
