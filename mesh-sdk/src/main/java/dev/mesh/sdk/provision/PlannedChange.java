package dev.mesh.sdk.provision;

/**
 * One difference between what the product folders declare and what the cluster and the registry hold.
 *
 * @param target a topic or a subject
 * @param detail what differs, and for a change with consequences what follows from it
 */
public record PlannedChange(Kind kind, String target, String detail) {
    public enum Kind {
        /** A topic to create. */
        CREATE("+", false),
        /** A topic setting the contract changed since it was published: apply sets it. */
        ALTER("~", false),
        /** More partitions: apply adds them only with {@code --force}, as it re-keys. */
        PARTITIONS("~", false),
        /** A schema to register under its subject. */
        REGISTER("+", false),
        /** A subject whose compatibility level is not the contract's. */
        COMPATIBILITY("~", false),
        /** The cluster differs from a contract that did not change: changed by hand; apply sets it back. */
        DRIFT("?", true),
        /** What apply cannot do: fewer partitions, other replicas, an incompatible schema. */
        CONFLICT("!", true);

        private final String symbol;
        private final boolean drift;

        Kind(String symbol, boolean drift) {
            this.symbol = symbol;
            this.drift = drift;
        }

        /** Drift or conflict: what makes a plan exit 2. */
        public boolean isDrift() {
            return drift;
        }
    }

    public String line() {
        return kind.symbol + " " + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + target + ": " + detail;
    }
}
