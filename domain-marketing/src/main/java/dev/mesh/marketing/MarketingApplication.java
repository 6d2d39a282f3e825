package dev.mesh.marketing;

import io.micronaut.runtime.Micronaut;

/** The marketing domain service. */
public final class MarketingApplication {
    private MarketingApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(MarketingApplication.class, args);
    }
}
