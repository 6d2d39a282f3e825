package dev.mesh.sdk.access;

import dev.mesh.sdk.contract.Naming;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.server.policy.CreateTopicPolicy;

import java.util.Map;
import java.util.Set;

/**
 * A broker's create-topic policy ({@code create.topic.policy.class.name}) for the topics a product's readers may create
 * under it ({@code <topic>.<group>.dlq}: {@link AccessPlan} grants them CREATE on the prefix {@code <topic>.<their
 * group prefix>}). Those are consumer DLQs and nothing else: the name ends in {@code .dlq}, at most
 * {@value #MAX_PARTITIONS} partitions, and only retention, cleanup and durability settings. Kafka tells a policy the
 * topic, not who asks, so the rule holds for every creator of such a name; the product topics themselves, their own
 * DLQs, Streams apps' topics and the mesh's own are not its business.
 */
public final class ReaderTopicPolicy implements CreateTopicPolicy {
    public static final int MAX_PARTITIONS = 3;
    private static final java.util.regex.Pattern UNDER_PRODUCT =
            java.util.regex.Pattern.compile("([a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*\\.v[1-9][0-9]*)\\..+");
    static final Set<String> ALLOWED_CONFIGS = Set.of("retention.ms", "retention.bytes", "cleanup.policy", "min.insync.replicas");

    @Override
    public void validate(RequestMetadata request) throws PolicyViolationException {
        String topic = request.topic();
        java.util.regex.Matcher under = UNDER_PRODUCT.matcher(topic);
        if (!under.matches()) {
            return; // a product topic itself, or no product's
        }
        String product = under.group(1);
        if (topic.equals(Naming.dlqTopic(product))) {
            return; // the product's own DLQ, made by its owner
        }
        if (!Naming.isDlq(topic)) {
            throw new PolicyViolationException(topic + ": under " + product + " only consumer DLQs (" + product
                    + ".<group>.dlq) may be created");
        }
        Integer partitions = request.numPartitions() != null ? request.numPartitions()
                : request.replicasAssignments() == null ? null : request.replicasAssignments().size();
        if (partitions != null && partitions > MAX_PARTITIONS) {
            throw new PolicyViolationException(topic + ": a consumer DLQ has at most " + MAX_PARTITIONS + " partitions, "
                    + partitions + " asked");
        }
        for (Map.Entry<String, String> config : request.configs().entrySet()) {
            if (!ALLOWED_CONFIGS.contains(config.getKey())) {
                throw new PolicyViolationException(topic + ": a consumer DLQ takes only " + new java.util.TreeSet<>(ALLOWED_CONFIGS)
                        + ", not " + config.getKey());
            }
        }
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void close() {
    }
}
