package dev.mesh.sdk.errors;


import java.util.List;

/** The product's schema breaks its compatibility level; the registry's reasons name each field. */
public final class IncompatibleSchemaException extends MeshException {
    private final List<String> reasons;

    public IncompatibleSchemaException(String subject, String level, List<String> reasons) {
        super("schema of " + subject + " is not " + level + " compatible with what is registered: "
                + String.join("; ", reasons));
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
        return reasons;
    }
}
