package dev.mesh.sdk.access;

import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.kafka.FollowedTopics;
import dev.mesh.sdk.kafka.JsonTopic;
import dev.mesh.sdk.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Access requests and grants in the compacted {@code _mesh.access} topic, keyed by request id: the latest record of a
 * request is its state, so they survive restarts and compaction keeps one per request. Written and read by the
 * marketplace (the catalog service) and admins only: requests carry reasons and PII flags. The active grants are
 * mirrored per domain ({@link DomainGrants}) for the domains' services.
 */
public final class AccessLedger implements AutoCloseable {
    private final JsonTopic topic;

    private final Map<String, Object> kafka;
    private final Admin admin;
    private final short replicationFactor;
    private final Map<String, JsonTopic> mirrors = new java.util.concurrent.ConcurrentHashMap<>();

    /** A reader of the ledger (the admin's tools). */
    public AccessLedger(Map<String, Object> kafka) {
        this(kafka, null, (short) 1);
    }

    /** The marketplace's ledger: it also writes each domain's grants topic, creating it with {@code admin}. */
    public AccessLedger(Map<String, Object> kafka, Admin admin, short replicationFactor) {
        this.topic = new JsonTopic(Naming.ACCESS_TOPIC, kafka);
        this.kafka = kafka;
        this.admin = admin;
        this.replicationFactor = replicationFactor;
    }

    public static void ensureTopic(Admin admin, short replicationFactor) {
        dev.mesh.sdk.internal.TopicSpec.access(replicationFactor).ensure(admin);
    }

    /** Every request by id, in the order they were made. */
    public Map<String, AccessGrant> read() {
        GrantRecords records = new GrantRecords();
        topic.readAll(records::apply);
        return records.state().getOrDefault(Naming.ACCESS_TOPIC, Map.of());
    }

    /** Every request by id as the ledger is followed: for a service asked on every request (the catalog's doors). */
    public FollowedTopics<Map<String, Map<String, AccessGrant>>> follow() {
        return FollowedTopics.topic(kafka, Naming.ACCESS_TOPIC, GrantRecords::new);
    }

    public List<AccessGrant> active(Instant now) {
        return read().values().stream().filter(g -> g.isActive(now)).toList();
    }

    /**
     * Keeps the request, and mirrors it to its product's domain's grants topic: there while it is an approved grant,
     * deleted (a tombstone) once it ends, so the domain's services honour exactly the active grants.
     */
    public void write(AccessGrant grant) {
        topic.append(grant.id(), grant);
        mirror(grant);
    }

    /** Writes the grant's state to its domain's grants topic (again): after a restart, or for grants from before it. */
    public void mirror(AccessGrant grant) {
        if (admin == null) {
            return; // a reader's ledger
        }
        Naming.parseTopic(grant.product()).ifPresent(product -> {
            String domain = product.product().domain();
            JsonTopic grants = mirrors.computeIfAbsent(domain, d -> {
                dev.mesh.sdk.internal.TopicSpec.grants(d, replicationFactor).ensure(admin);
                return new JsonTopic(Naming.grantsTopic(d), kafka);
            });
            grants.append(grant.id(), grant.status() == AccessGrant.Status.APPROVED ? grant : null);
        });
    }

    @Override
    public void close() {
        mirrors.values().forEach(JsonTopic::close);
        topic.close();
    }
}
