package dev.mesh.sdk.access;

import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.kafka.FollowedTopics;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The grants on domains' products as the marketplace mirrors them to {@code _mesh.grants.<domain>}, followed as they
 * change: what a domain's services (and the registry, for data keys) need to answer a granted principal at their
 * doors. A domain's grants are believed only from its own topic. A grant's expiry is checked by {@link AccessDecision}
 * at the moment of asking.
 */
public final class DomainGrants implements AutoCloseable {
    private final FollowedTopics<Map<String, Map<String, AccessGrant>>> followed;

    private DomainGrants(FollowedTopics<Map<String, Map<String, AccessGrant>>> followed) {
        this.followed = followed;
    }

    /** One domain's grants: a domain's services. */
    public static DomainGrants of(Map<String, Object> kafka, String domain) {
        return new DomainGrants(FollowedTopics.topic(kafka, Naming.grantsTopic(domain), GrantRecords::new));
    }

    /** Every domain's grants this principal may read: a service asked about any domain's products. */
    public static DomainGrants all(Map<String, Object> kafka) {
        return new DomainGrants(FollowedTopics.prefix(kafka, Naming.GRANTS_PREFIX, GrantRecords::new));
    }

    /** The domain's grants as last polled (none when it has no grants topic, or this principal may not read it). */
    public Collection<AccessGrant> current(String domain) {
        return List.copyOf(followed.current().getOrDefault(Naming.grantsTopic(domain), Map.of()).values());
    }

    @Override
    public void close() {
        followed.close();
    }
}
