package dev.mesh.sales;

/** The sales domain (products/sales/domain.yaml), which {@link dev.mesh.service.DomainService} runs. */
public final class SalesDomain {
    /** Its name: the Micronaut environment this domain's beans require. */
    public static final String ENV = "sales";

    private SalesDomain() {
    }
}
