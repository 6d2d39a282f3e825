package dev.mesh.sdk.errors;

import java.util.List;

/**
 * A product opened before the mesh created it: the mesh creates a product's topics from a plan ({@code mesh apply}),
 * never as a side effect of the first program that opens it.
 */
public final class ProductNotProvisionedException extends MeshException {
    private final List<String> missingTopics;

    public ProductNotProvisionedException(String product, List<String> missingTopics) {
        super(product + " is not provisioned: " + (missingTopics.size() == 1 ? "topic " : "topics ")
                + String.join(", ", missingTopics) + (missingTopics.size() == 1 ? " does" : " do") + " not exist."
                + " Run `mesh apply` (`mesh plan` first shows what it creates); `mesh up` does that itself");
        this.missingTopics = List.copyOf(missingTopics);
    }

    public List<String> missingTopics() {
        return missingTopics;
    }
}
