package dev.mesh.sdk.audit;

import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.kafka.JsonTopic;
import dev.mesh.sdk.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mesh's audit trail: {@code _mesh.audit}, append-only and kept for good (no retention, no compaction). Only the
 * platform's principals write it (the marketplace, the registry, the admin's tools); ACLs give domains no write,
 * so no domain can add to it, and nobody but the brokers' super user can delete it.
 */
public final class AuditLog implements AutoCloseable {
    private final JsonTopic topic;

    public AuditLog(Map<String, Object> kafka) {
        this.topic = new JsonTopic(Naming.AUDIT_TOPIC, kafka);
    }

    public static void ensureTopic(Admin admin, short replicationFactor) {
        dev.mesh.sdk.internal.TopicSpec.audit(replicationFactor).ensure(admin);
    }

    /** Appends and waits for the write: what follows may rely on the event being kept. */
    public void append(AuditEvent event) {
        topic.append(event.product(), event);
    }

    /** Appends without waiting (from a request's response path); the future fails if the event could not be kept. */
    public java.util.concurrent.CompletableFuture<Void> send(AuditEvent event) {
        return topic.send(event.product(), event);
    }

    /** The instant {@code back} before now; everything (the epoch) for a span longer than the trail can be. */
    public static Instant since(java.time.Duration back) {
        Instant now = Instant.now();
        return back.compareTo(java.time.Duration.between(Instant.EPOCH, now)) >= 0 ? Instant.EPOCH : now.minus(back);
    }

    /** The events about {@code product} (a topic; empty: all) at or after {@code since}, oldest first. */
    public List<AuditEvent> read(Optional<String> product, Instant since) {
        List<AuditEvent> events = new ArrayList<>();
        topic.readAll(r -> {
            if (r.value() == null) {
                return;
            }
            try {
                AuditEvent e = JsonTopic.JSON.readValue(r.value(), AuditEvent.class);
                if (!e.at().isBefore(since) && product.map(p -> p.equals(e.product())).orElse(true)) {
                    events.add(e);
                }
            } catch (Exception e) {
                // not an audit event: skipped
            }
        });
        return events;
    }

    @Override
    public void close() {
        topic.close();
    }
}
