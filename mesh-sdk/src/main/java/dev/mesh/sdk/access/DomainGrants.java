package dev.mesh.sdk.access;

import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.internal.JsonTopic;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The active grants on one domain's products, as the marketplace mirrors them to {@code _mesh.grants.<domain>}: what a
 * domain's services need to answer a granted principal at their doors, and nothing of other domains' requests. Read
 * again when asked after {@code refresh}; a grant's expiry is checked by {@link AccessDecision} at the moment of asking.
 */
public final class DomainGrants {
    private final JsonTopic topic;
    private final Duration refresh;
    private final Clock clock;
    private List<AccessGrant> grants = List.of();
    private java.time.Instant readAt;

    public DomainGrants(Map<String, Object> kafka, String domain, Duration refresh, Clock clock) {
        this.topic = new JsonTopic(Naming.grantsTopic(domain), kafka);
        this.refresh = refresh;
        this.clock = clock;
    }

    /** The grants as last read, read again if older than the refresh period. */
    public synchronized Collection<AccessGrant> current() {
        java.time.Instant now = clock.instant();
        if (readAt == null || now.isAfter(readAt.plus(refresh))) {
            Map<String, AccessGrant> read = new LinkedHashMap<>();
            try {
                topic.readAll(r -> {
                    if (r.key() == null) {
                        return;
                    }
                    if (r.value() == null) {
                        read.remove(r.key());
                        return;
                    }
                    try {
                        read.put(r.key(), JsonTopic.JSON.readValue(r.value(), AccessGrant.class));
                    } catch (Exception e) {
                        // an unreadable record grants nothing
                    }
                });
                grants = new ArrayList<>(read.values());
                readAt = now;
            } catch (RuntimeException e) {
                // no grants topic yet (no grant was ever made), or not readable: nothing granted beyond the contracts
                grants = List.of();
                readAt = now;
            }
        }
        return grants;
    }
}
