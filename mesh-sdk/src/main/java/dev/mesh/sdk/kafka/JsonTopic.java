package dev.mesh.sdk.kafka;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.mesh.sdk.errors.MeshException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One of the mesh's own topics of JSON records ({@code _mesh.catalog.<domain>}, {@code _mesh.access}, {@code _mesh.audit}):
 * read whole, up to its end at the time of asking, and appended to with acks from every in-sync replica.
 */
public final class JsonTopic implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final String topic;
    private final Map<String, Object> kafka;
    private KafkaProducer<String, String> producer;

    public JsonTopic(String topic, Map<String, Object> kafka) {
        this.topic = topic;
        this.kafka = Map.copyOf(kafka);
    }

    public String topic() {
        return topic;
    }

    /** Appends {@code value} (null: a tombstone) under {@code key} and waits for the write. */
    public void append(String key, Object value) {
        try {
            send(key, value).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new MeshException("cannot write " + key + " to " + topic + ": "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        }
    }

    /** Appends without waiting; the future completes when the write is acknowledged, or fails. */
    public synchronized java.util.concurrent.CompletableFuture<Void> send(String key, Object value) {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        try {
            String json = value == null ? null : JSON.writeValueAsString(value);
            producer().send(new ProducerRecord<>(topic, key, json), (metadata, error) -> {
                if (error == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(error);
                }
            });
        } catch (Exception e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(ReliableProducer.settings(kafka), new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    /** Every record of the topic from its start to its current end, in order per partition; none if it does not exist. */
    public void readAll(Consumer<ConsumerRecord<String, String>> each) {
        readAll(kafka, topic, each);
    }

    public static void readAll(Map<String, Object> kafka, String topic, Consumer<ConsumerRecord<String, String>> each) {
        readAll(kafka, consumer -> consumer.partitionsFor(topic, Duration.ofSeconds(10)), topic, each);
    }

    /**
     * Every record of every topic whose name starts with {@code prefix} (and that this principal may describe), from
     * their start to their current ends, in order per partition.
     */
    public static void readAllWithPrefix(Map<String, Object> kafka, String prefix, Consumer<ConsumerRecord<String, String>> each) {
        readAll(kafka, consumer -> consumer.listTopics(Duration.ofSeconds(10)).entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix)).flatMap(e -> e.getValue().stream()).toList(), prefix + "*", each);
    }

    private static void readAll(Map<String, Object> kafka,
                                java.util.function.Function<KafkaConsumer<String, String>, List<org.apache.kafka.common.PartitionInfo>> find,
                                String what, Consumer<ConsumerRecord<String, String>> each) {
        Map<String, Object> c = new HashMap<>(kafka);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = find.apply(consumer).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new MeshException("timed out reading " + what);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
