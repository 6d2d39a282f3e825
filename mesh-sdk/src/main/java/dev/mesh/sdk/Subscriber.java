package dev.mesh.sdk;

import dev.mesh.sdk.kafka.ReliableProducer;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.kafka.Topics;
import dev.mesh.sdk.catalog.ConsumerEntry;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.internal.publish.DeadLetters;
import dev.mesh.sdk.internal.publish.ProductRegistration;
import dev.mesh.sdk.internal.quality.CheckedDeserializer;
import dev.mesh.sdk.internal.serde.AvroDeserializer;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A typed consumer of one product under a consumer group, at least once: offsets are committed only after the
 * handler has succeeded (or the record was dead-lettered). A record that cannot be decoded (garbage bytes, an
 * unknown schema id), or whose handler keeps failing, goes to the group's DLQ ({@code <topic>.<group>.dlq}) with
 * its original bytes and the reason, and consumption goes on: a poison pill never stops the subscriber.
 */
public final class Subscriber<T> implements AutoCloseable {
    /** Kafka's longest group instance id. */
    static final int MAX_MEMBER_ID = 249;

    private static final Logger log = LoggerFactory.getLogger(Subscriber.class);

    private final ProductContract contract;
    private final String group;
    private final String dlqTopic;
    private final RecordHandler<T> handler;
    private final int maxAttempts;
    private final Duration retryBackoff;
    private final CheckedDeserializer<T> deserializer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> dlqProducer;
    private final Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
    private final Counter handled;
    private final Counter deadLettered;
    private final Thread thread;
    private volatile boolean running = true;

    private Subscriber(Builder<T> b) {
        this.contract = b.contract;
        this.group = b.group;
        this.dlqTopic = Naming.consumerDlqTopic(contract.topicName(), group);
        this.handler = b.handler;
        this.maxAttempts = b.maxAttempts;
        this.retryBackoff = b.retryBackoff;
        this.deserializer = new CheckedDeserializer<>(new AvroDeserializer<>(b.mesh.registry(), b.type), contract,
                b.mesh.registry(), b.mesh.clients().clock());
        Map<String, Object> c = new HashMap<>(b.mesh.kafkaProperties());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, b.fromBeginning ? "earliest" : "latest");
        c.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A broker's auto-created topic would have the wrong partitions; the product's topic comes from its contract.
        c.putIfAbsent(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        c.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, b.mesh.app() + "-" + group);
        // unique in the group also when one instance subscribes it to two products (see Mesh.INSTANCE)
        b.mesh.instance().ifPresent(instance -> c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, memberId(instance, contract.topicName())));
        // Values stay bytes until the loop decodes them, so one bad record is one dead letter, not a stuck poll().
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        this.dlqProducer = new KafkaProducer<>(ReliableProducer.settings(b.mesh.kafkaProperties()), new StringSerializer(), new ByteArraySerializer());
        String product = contract.product().toString();
        this.handled = Counter.builder("mesh.subscriber.handled").tag("product", product).tag("group", group).register(b.mesh.meters());
        this.deadLettered = Counter.builder("mesh.subscriber.dead.lettered").tag("product", product).tag("group", group).register(b.mesh.meters());
        this.thread = new Thread(this::run, "subscriber-" + group + "-" + contract.topicName());
    }

    public static <T> Builder<T> builder(Mesh mesh, ProductContract contract, Class<T> type) {
        return new Builder<>(mesh, contract, type);
    }

    public String dlqTopic() {
        return dlqTopic;
    }

    /**
     * The static member id of an instance's subscriber to a topic: {@code <instance>-<topic>}, or, past Kafka's 249
     * characters (a long instance name and a long topic), as much of the topic as fits and a hash of the whole, so the
     * id stays the same across restarts and differs between topics.
     */
    static String memberId(String instance, String topic) {
        String id = instance + "-" + topic;
        if (id.length() <= MAX_MEMBER_ID) {
            return id;
        }
        String hash = String.format("%08x", topic.hashCode());
        return id.substring(0, MAX_MEMBER_ID - hash.length() - 1) + "-" + hash;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(contract.topicName()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commitProcessed();
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }
            });
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (!running) {
                        break;
                    }
                    process(r);
                    processed.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                commitProcessed();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("subscriber {} of {} stopped", group, contract.topicName(), e);
        } finally {
            commitProcessed();
            // What was handled is committed by now: the close only leaves the group, which a rebalance waiting on a
            // dead member's session may hold up for as long as that session lasts. A static member leaves too, so
            // that an instance stopped for good does not keep its partitions until its session ends.
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5))
                    .withGroupMembershipOperation(org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
    }

    private void process(ConsumerRecord<String, byte[]> r) {
        T value;
        try {
            value = deserializer.deserialize(r.topic(), r.value());
        } catch (CheckedDeserializer.BrokenContractException e) {
            deadLetter(r, "decode", e.getMessage(), e.failure().rule().name());
            return;
        } catch (RuntimeException e) {
            deadLetter(r, "decode", e.getMessage());
            return;
        }
        ProductRecord<T> record = new ProductRecord<>(r.key(), value, r.topic(), r.partition(), r.offset(), r.timestamp(), r.headers());
        Exception last = null;
        for (int attempt = 1; attempt <= maxAttempts && running; attempt++) {
            try {
                handler.handle(record);
                handled.increment();
                return;
            } catch (Exception e) {
                last = e;
                log.debug("handler of {} failed on {}-{}@{} (attempt {})", group, r.topic(), r.partition(), r.offset(), attempt, e);
                sleep(retryBackoff.multipliedBy(attempt));
            }
        }
        if (last != null) {
            deadLetter(r, "handler", "handler failed " + maxAttempts + " times: " + last);
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, String stage, String reason) {
        deadLetter(r, stage, reason, null);
    }

    /** @param rule the contract rule the record broke, if that is why */
    private void deadLetter(ConsumerRecord<String, byte[]> r, String stage, String reason, String rule) {
        try {
            var headers = DeadLetters.consumerFailure(group, stage, reason, r.topic(), r.partition(), r.offset(),
                    r.timestamp(), r.headers());
            if (rule != null) {
                DeadLetters.put(headers, DeadLetters.RULE_NAME, rule);
                DeadLetters.put(headers, DeadLetters.RULE_MODE, "READ");
            }
            dlqProducer.send(new ProducerRecord<>(dlqTopic, null, r.timestamp(), r.key(), r.value(), headers)).get(30, TimeUnit.SECONDS);
            deadLettered.increment();
            log.warn("{} dead-lettered {}-{}@{} to {} ({}): {}", group, r.topic(), r.partition(), r.offset(), dlqTopic, stage, reason);
        } catch (Exception e) {
            // Committing past a record we could not park would lose it; stop instead and let a restart retry it.
            throw new MeshException("cannot write " + r.topic() + "-" + r.partition() + "@" + r.offset() + " to "
                    + dlqTopic + ": " + e.getMessage(), e);
        }
    }

    private void commitProcessed() {
        if (processed.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(Map.copyOf(processed));
            processed.clear();
        } catch (RuntimeException e) {
            log.warn("{} could not commit offsets {}: {}", group, processed, e.toString());
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops after the record in hand, commits what was handled, and leaves the group. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dlqProducer.close(Duration.ofSeconds(10));
    }

    public static final class Builder<T> {
        private final Mesh mesh;
        private final ProductContract contract;
        private final Class<T> type;
        private String group;
        private RecordHandler<T> handler;
        private int maxAttempts = 3;
        private Duration retryBackoff = Duration.ofMillis(100);
        private boolean fromBeginning = true;

        private Builder(Mesh mesh, ProductContract contract, Class<T> type) {
            this.mesh = mesh;
            this.contract = contract;
            this.type = type;
        }

        public Builder<T> group(String group) {
            this.group = group;
            return this;
        }

        public Builder<T> handler(RecordHandler<T> handler) {
            this.handler = handler;
            return this;
        }

        /** How often the handler is tried on one record before it is dead-lettered (default 3). */
        public Builder<T> maxAttempts(int maxAttempts) {
            this.maxAttempts = Math.max(1, maxAttempts);
            return this;
        }

        public Builder<T> retryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        /** A new group starts at the beginning of the product (default) or only sees new records. */
        public Builder<T> fromBeginning(boolean fromBeginning) {
            this.fromBeginning = fromBeginning;
            return this;
        }

        public Subscriber<T> start() {
            if (group == null || group.isBlank()) {
                throw new IllegalArgumentException("a subscriber of " + contract.product() + " needs a consumer group");
            }
            if (handler == null) {
                throw new IllegalArgumentException("a subscriber of " + contract.product() + " needs a handler");
            }
            mesh.clients().requireReaderBeforeSunset(contract, group, "start a new consumer (group " + group + ") of");
            ProductRegistration.provisioned(mesh.clients(), contract, false);
            // the reader's own dead letters: its topic, not the product's, so the reader creates it
            Topics.ensure(mesh.admin(), Naming.consumerDlqTopic(contract.topicName(), group), 1, mesh.replicationFactor(), Map.of());
            mesh.catalog().recordConsumer(new ConsumerEntry(group, contract.topicName(), contract.product().toString(),
                    mesh.app(), ConsumerEntry.SUBSCRIBER, Instant.now()));
            Subscriber<T> subscriber = new Subscriber<>(this);
            subscriber.thread.start();
            return subscriber;
        }
    }
}
