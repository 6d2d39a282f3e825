package dev.mesh.sdk.ops;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a proposed schema for a product would break, before anything is released: whether it is compatible under the
 * product's level (each incompatibility with its field), and whom it would break: the derived products and Streams
 * apps that read the product, and the consumer groups with their lag.
 *
 * @param level the subject's compatibility level in the registry
 */
public record Impact(String product, String topic, String level, List<String> incompatibilities,
                     List<Derived> derived, List<Group> groups) {

    /** A derived product reading this one: its app, owner and the fields its own schema shares with this one's. */
    public record Derived(String product, String topic, String application, String ownerTeam, String ownerContact,
                          List<String> sharedFields) {
    }

    /** A consumer group reading the product: how far behind it is, and the domain whose group it is. */
    public record Group(String group, String kind, long lag, Optional<Duration> timeLag, String owner) {
    }

    public boolean compatible() {
        return incompatibilities.isEmpty();
    }

    /** For CI: 0 compatible, 1 breaking with consumers, 2 breaking without any. */
    public int exitCode() {
        if (compatible()) {
            return 0;
        }
        return derived.isEmpty() && groups.isEmpty() ? 2 : 1;
    }
}
