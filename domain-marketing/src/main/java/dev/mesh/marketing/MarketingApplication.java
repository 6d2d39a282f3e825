package dev.mesh.marketing;

import dev.mesh.service.DomainService;

/** The marketing domain service; its settings are in application-marketing.yml. */
public final class MarketingApplication {
    /** The Micronaut environment this domain's beans and settings belong to. */
    public static final String ENV = "marketing";

    private MarketingApplication() {
    }

    public static void main(String[] args) {
        DomainService.run(MarketingApplication.class, ENV, args);
    }
}
