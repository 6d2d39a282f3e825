package dev.mesh.finance;

/** The finance domain (products/finance/domain.yaml), which {@link dev.mesh.service.DomainService} runs. */
public final class FinanceDomain {
    /** Its name: the Micronaut environment this domain's beans require. */
    public static final String ENV = "finance";

    private FinanceDomain() {
    }
}
