package dev.mesh.sdk.errors;


/** A record broke a quality rule of its product's contract; {@code deadLettered} says whether it went to the DLQ. */
public final class RuleViolationException extends MeshException {
    private final String product;
    private final String rule;
    private final String reason;
    private final boolean deadLettered;

    public RuleViolationException(String product, String rule, String reason, boolean deadLettered, String dlqTopic) {
        super("record of " + product + " broke rule '" + rule + "': " + reason
                + (deadLettered ? "; it was written to " + dlqTopic : "; it was not published"));
        this.product = product;
        this.rule = rule;
        this.reason = reason;
        this.deadLettered = deadLettered;
    }

    public String product() {
        return product;
    }

    public String rule() {
        return rule;
    }

    public String reason() {
        return reason;
    }

    public boolean deadLettered() {
        return deadLettered;
    }
}
