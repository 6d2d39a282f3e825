package dev.mesh.catalog;

/** Nothing in the catalog answers to this product id or topic. */
public final class ProductNotFoundException extends RuntimeException {
    private final String id;

    public ProductNotFoundException(String id) {
        super("no product '" + id + "' in the catalog");
        this.id = id;
    }

    public String id() {
        return id;
    }
}
