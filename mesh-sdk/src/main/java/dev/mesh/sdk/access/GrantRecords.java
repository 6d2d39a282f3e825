package dev.mesh.sdk.access;

import dev.mesh.sdk.kafka.FollowedTopics;
import dev.mesh.sdk.kafka.JsonTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Access requests as their topics hold them, per topic (the ledger, or one domain's grants, each believed only for
 * itself), by request id: a request's latest record is its state, a tombstone ends it, and an unreadable record
 * grants nothing.
 */
final class GrantRecords implements FollowedTopics.Fold<Map<String, Map<String, AccessGrant>>> {
    private final Map<String, Map<String, AccessGrant>> byTopic = new LinkedHashMap<>();

    @Override
    public void apply(ConsumerRecord<String, String> r) {
        if (r.key() == null) {
            return;
        }
        Map<String, AccessGrant> grants = byTopic.computeIfAbsent(r.topic(), t -> new LinkedHashMap<>());
        if (r.value() == null) {
            grants.remove(r.key());
            return;
        }
        try {
            grants.put(r.key(), JsonTopic.JSON.readValue(r.value(), AccessGrant.class));
        } catch (Exception e) {
            grants.remove(r.key()); // an unreadable record grants nothing, nor does what it replaced
        }
    }

    @Override
    public Map<String, Map<String, AccessGrant>> state() {
        Map<String, Map<String, AccessGrant>> copy = new LinkedHashMap<>();
        byTopic.forEach((topic, grants) -> copy.put(topic, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(grants))));
        return java.util.Collections.unmodifiableMap(copy);
    }
}
