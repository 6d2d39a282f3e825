package dev.mesh.marketing;

/** The marketing domain (products/marketing/domain.yaml), which {@link dev.mesh.service.DomainService} runs. */
public final class MarketingDomain {
    /** Its name: the Micronaut environment this domain's beans require. */
    public static final String ENV = "marketing";

    private MarketingDomain() {
    }
}
