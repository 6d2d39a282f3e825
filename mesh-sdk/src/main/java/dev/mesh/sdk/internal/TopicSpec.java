package dev.mesh.sdk.internal;

import dev.mesh.sdk.kafka.Topics;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.contract.ProductContract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A topic as the mesh declares it: partitions, replicas and the settings it must carry. The one place a product's
 * topics and the mesh's own get their settings, durability included ({@link Topics#durable}).
 */
public record TopicSpec(String name, int partitions, short replicas, Map<String, String> configs) {
    public TopicSpec {
        configs = Map.copyOf(Topics.durable(replicas, configs));
    }

    /** Creates the topic unless it exists; an existing one must have the declared partitions. */
    public void ensure(org.apache.kafka.clients.admin.Admin admin) {
        Topics.ensure(admin, name, partitions, replicas, configs);
    }

    /** A product's topic (its contract's partitions, cleanup policy and retention) and its DLQ. */
    public static List<TopicSpec> of(ProductContract contract, short replicas) {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", contract.topic().cleanupPolicy());
        contract.topic().retention().ifPresent(r -> configs.put("retention.ms", Long.toString(r.toMillis())));
        return List.of(new TopicSpec(contract.topicName(), contract.topic().partitions(), replicas, configs),
                new TopicSpec(contract.dlqTopic(), 1, replicas, Map.of()));
    }

    /** Where a domain's publishers and apps announce themselves in the catalog. */
    public static TopicSpec catalog(String domain, short replicas) {
        return compacted(Naming.catalogTopic(domain), replicas);
    }

    /** The active grants on a domain's products, which its services honour. */
    public static TopicSpec grants(String domain, short replicas) {
        return compacted(Naming.grantsTopic(domain), replicas);
    }

    /** Access requests and grants. */
    public static TopicSpec access(short replicas) {
        return compacted(Naming.ACCESS_TOPIC, replicas);
    }

    /** The audit trail: kept for ever. */
    public static TopicSpec audit(short replicas) {
        return new TopicSpec(Naming.AUDIT_TOPIC, 1, replicas, Map.of("cleanup.policy", "delete", "retention.ms", "-1"));
    }

    /** A compacted topic of one partition: a key's latest value is its state. */
    public static TopicSpec compacted(String name, short replicas) {
        return new TopicSpec(name, 1, replicas, Map.of("cleanup.policy", "compact"));
    }
}
