package dev.mesh.testkit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** What a test gets from {@link KafkaExtension}: a bootstrap address and small helpers around it. */
public final class TestKafka {
    private final String bootstrapServers;

    public TestKafka(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A name no other test uses, so tests sharing one broker never see each other's data. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Creates a topic with a unique name and returns that name once every partition's leader serves it.
     *
     * <p>The controller acknowledges a new topic before its leaders have taken their partitions over. An idempotent
     * producer (kafka-clients 4.3.1) whose first batch meets NOT_LEADER_OR_FOLLOWER there while later batches are
     * accepted re-sends sequence 0 until {@code delivery.timeout.ms} expires (OutOfOrderSequence, records lost):
     * asking each leader for its end offset first closes that window.
     */
    public String createTopic(String prefix, int partitions) {
        String name = uniqueName(prefix);
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> ends = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                ends.put(new org.apache.kafka.common.TopicPartition(name, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            Await.until(java.time.Duration.ofSeconds(30), "every leader of " + name + " to serve it", () -> {
                try {
                    admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS);
                    return true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof org.apache.kafka.common.errors.RetriableException) {
                        return false;
                    }
                    throw new IllegalStateException("cannot read the end offsets of new topic " + name, e.getCause());
                } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("cannot read the end offsets of new topic " + name, e);
                }
            });
        } catch (ExecutionException | InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
        return name;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Producer settings the mesh uses everywhere: idempotent, acks=all. */
    public Map<String, Object> producerProps() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return p;
    }

    /** Consumer settings reading a topic from its start under a fresh group. */
    public Map<String, Object> consumerProps() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, uniqueName("test-group"));
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    /**
     * How far the topic has been written: the sum of its partitions' end offsets (transaction markers included),
     * 0 for a topic that does not exist. Equal before and after means nothing was written.
     */
    public long endOffsets(String topic) {
        Map<String, Object> p = consumerProps();
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(p,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic, java.time.Duration.ofSeconds(10)).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
