package dev.mesh.productdev;

/** The productdev domain (products/productdev/domain.yaml), which {@link dev.mesh.service.DomainService} runs. */
public final class ProductdevDomain {
    /** Its name: the Micronaut environment this domain's beans require ({@code @Requires(env = ProductdevDomain.ENV)}). */
    public static final String ENV = "productdev";

    private ProductdevDomain() {
    }
}
