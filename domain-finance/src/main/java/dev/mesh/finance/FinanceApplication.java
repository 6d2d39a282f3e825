package dev.mesh.finance;

import dev.mesh.service.DomainService;

/** The finance domain service; its settings are in application-finance.yml. */
public final class FinanceApplication {
    /** The Micronaut environment this domain's beans and settings belong to. */
    public static final String ENV = "finance";

    private FinanceApplication() {
    }

    public static void main(String[] args) {
        DomainService.run(FinanceApplication.class, ENV, args);
    }
}
