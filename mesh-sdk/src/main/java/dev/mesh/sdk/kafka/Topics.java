package dev.mesh.sdk.kafka;

import dev.mesh.sdk.errors.MeshException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Creates the topics the mesh needs, and refuses to use one whose partition count is not the declared one. */
public final class Topics {
    private static final java.time.Duration OWNER_WAIT = java.time.Duration.ofSeconds(60);
    private static final java.time.Duration LEADER_WAIT = java.time.Duration.ofSeconds(30);
    private Topics() {
    }

    /** A topic another client has just created may not be in every broker's metadata yet: ask again briefly. */
    private static TopicDescription describeCreated(Admin admin, String topic)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        for (int attempt = 1; ; attempt++) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) || attempt >= 20) {
                    throw e;
                }
                Thread.sleep(100L * attempt);
            }
        }
    }

    /** With three replicas or more, a write is acknowledged by two: one broker may fail without losing it or stopping writes. */
    public static final String MIN_IN_SYNC_REPLICAS = "2";

    /** The settings a topic with this many replicas gets: {@code min.insync.replicas=2} from three replicas on. */
    /** The replicas of every topic the mesh creates on a cluster of {@code brokers}: three where there are three. */
    public static short replicationFactor(int brokers) {
        return (short) Math.max(1, Math.min(3, brokers));
    }

    public static Map<String, String> durable(short replicationFactor, Map<String, String> configs) {
        if (replicationFactor < 3 || configs.containsKey(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)) {
            return configs;
        }
        Map<String, String> durable = new java.util.HashMap<>(configs);
        durable.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, MIN_IN_SYNC_REPLICAS);
        return durable;
    }

    public static void ensure(Admin admin, String topic, int partitions, short replicationFactor, Map<String, String> configs) {
        try {
            try {
                admin.createTopics(List.of(new NewTopic(topic, partitions, replicationFactor).configs(durable(replicationFactor, configs))))
                        .all().get(30, TimeUnit.SECONDS);
                awaitLeaders(admin, topic, partitions);
                return;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicAuthorizationException) {
                    // On a secured cluster only the owner creates a product's topics; a reader waits for them.
                    checkPartitions(awaitCreatedByOwner(admin, topic), topic, partitions);
                    return;
                }
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            checkPartitions(describeCreated(admin, topic), topic, partitions);
            awaitLeaders(admin, topic, partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted creating topic " + topic, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new MeshException("cannot create topic " + topic + ": " + cause.getMessage(), cause);
        }
    }

    /**
     * Returns once every partition's leader serves the topic. The controller acknowledges a new topic before its
     * leaders have taken their partitions over; an idempotent producer (kafka-clients 4.3.1) whose first batch meets
     * NOT_LEADER_OR_FOLLOWER there while its later batches are accepted re-sends sequence 0 until
     * {@code delivery.timeout.ms} expires (OutOfOrderSequence) and the batch is lost. Asking each leader for its end
     * offset closes that window before a writer opens.
     */
    private static void awaitLeaders(Admin admin, String topic, int partitions)
            throws InterruptedException, java.util.concurrent.TimeoutException, ExecutionException {
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> ends = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            ends.put(new org.apache.kafka.common.TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
        }
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        while (true) {
            try {
                admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static TopicDescription awaitCreatedByOwner(Admin admin, String topic)
            throws InterruptedException, java.util.concurrent.TimeoutException, ExecutionException {
        long deadline = System.nanoTime() + OWNER_WAIT.toNanos();
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            } catch (ExecutionException e) {
                boolean absent = e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
                if (e.getCause() instanceof TopicAuthorizationException) {
                    throw new MeshException("this principal may neither create nor describe topic " + topic
                            + ": its contract's access (or the cluster's ACLs) does not include it", e.getCause());
                }
                if (!absent) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new MeshException("topic " + topic + " does not exist, and only its owner may create it:"
                            + " waited " + OWNER_WAIT.toSeconds() + " s for the owner's service to start", e.getCause());
                }
                Thread.sleep(250);
            }
        }
    }

    private static void checkPartitions(TopicDescription existing, String topic, int partitions) {
        if (existing.partitions().size() != partitions) {
            throw new MeshException("topic " + topic + " exists with " + existing.partitions().size()
                    + " partitions, but its owner declares " + partitions
                    + "; partitions cannot change under a topic's data (co-partitioning and key order depend on it)");
        }
    }
}
