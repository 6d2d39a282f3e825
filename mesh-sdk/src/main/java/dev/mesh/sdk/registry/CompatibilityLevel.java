package dev.mesh.sdk.registry;

/** Confluent's compatibility levels: which existing versions a new schema is checked against, and how. */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    /** New schema must read data written with existing versions. */
    public final boolean newReadsOld;
    /** Existing versions must read data written with the new schema. */
    public final boolean oldReadsNew;
    /** Against every version rather than the latest only. */
    public final boolean transitive;

    CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    /** The level named, or empty for anything else (callers say what was wrong). */
    public static java.util.Optional<CompatibilityLevel> parse(String name) {
        if (name == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(valueOf(name.trim().toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
