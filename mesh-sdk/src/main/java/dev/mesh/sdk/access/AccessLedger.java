package dev.mesh.sdk.access;

import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.internal.JsonTopic;
import dev.mesh.sdk.internal.Topics;
import org.apache.kafka.clients.admin.Admin;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Access requests and grants in the compacted {@code _mesh.access} topic, keyed by request id: the latest record of a
 * request is its state, so they survive restarts and compaction keeps one per request. Written by the marketplace
 * (the catalog service), read by anyone (tools check PII grants here).
 */
public final class AccessLedger implements AutoCloseable {
    private final JsonTopic topic;

    public AccessLedger(Map<String, Object> kafka) {
        this.topic = new JsonTopic(Naming.ACCESS_TOPIC, kafka);
    }

    public static void ensureTopic(Admin admin, short replicationFactor) {
        Topics.ensure(admin, Naming.ACCESS_TOPIC, 1, replicationFactor, Map.of("cleanup.policy", "compact"));
    }

    /** Every request by id, in the order they were made. */
    public Map<String, AccessGrant> read() {
        Map<String, AccessGrant> grants = new LinkedHashMap<>();
        topic.readAll(r -> {
            if (r.key() == null) {
                return;
            }
            if (r.value() == null) {
                grants.remove(r.key());
                return;
            }
            try {
                grants.put(r.key(), JsonTopic.JSON.readValue(r.value(), AccessGrant.class));
            } catch (Exception e) {
                // an unreadable record grants nothing
            }
        });
        return grants;
    }

    public List<AccessGrant> active(Instant now) {
        return read().values().stream().filter(g -> g.isActive(now)).toList();
    }

    /** Whether {@code principal} holds an active grant on the product's topic that includes its PII. */
    public boolean grantsPii(String principal, String topic, Instant now) {
        return active(now).stream().anyMatch(g -> g.pii() && g.principal().equals(principal) && g.product().equals(topic));
    }

    public void write(AccessGrant grant) {
        topic.append(grant.id(), grant);
    }

    @Override
    public void close() {
        topic.close();
    }
}
