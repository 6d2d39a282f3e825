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

    /** The report as plain values, for JSON: what {@code mesh impact --json} and the catalog's API answer. */
    public java.util.Map<String, Object> asJson() {
        java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("product", product);
        doc.put("topic", topic);
        doc.put("compatibility", level);
        doc.put("compatible", compatible());
        doc.put("incompatibilities", incompatibilities);
        doc.put("derived", derived.stream().map(d -> {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("product", d.product());
            m.put("topic", d.topic());
            m.put("application", d.application());
            m.put("ownerTeam", d.ownerTeam());
            m.put("ownerContact", d.ownerContact());
            m.put("sharedFields", d.sharedFields());
            return m;
        }).toList());
        doc.put("groups", groups.stream().map(g -> java.util.Map.<String, Object>of("group", g.group(), "kind", g.kind(),
                "owner", g.owner(), "lag", g.lag(), "timeLagSeconds", g.timeLag().map(Duration::toSeconds).orElse(0L))).toList());
        doc.put("exitCode", exitCode());
        return doc;
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
