package dev.mesh.sales;

import dev.mesh.service.DomainService;

/** The sales domain service; its settings are in application-sales.yml. */
public final class SalesApplication {
    /** The Micronaut environment this domain's beans and settings belong to. */
    public static final String ENV = "sales";

    private SalesApplication() {
    }

    public static void main(String[] args) {
        DomainService.run(SalesApplication.class, ENV, args);
    }
}
