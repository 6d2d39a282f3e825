package dev.mesh.registry.store;

import dev.mesh.sdk.kafka.ReliableProducer;
import dev.mesh.registry.core.RegistryException;
import dev.mesh.registry.leader.Leader;
import dev.mesh.registry.leader.LeaderElection;
import dev.mesh.registry.leader.NotLeaderException;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The registry's storage: the single-partition compacted {@code _schemas} topic.
 *
 * <p>A reader thread replays the topic from the start into {@link RegistryState} and follows it; every instance
 * serves reads from it. Only the instance elected leader ({@link LeaderElection}) writes; elsewhere a write throws
 * {@link NotLeaderException} and is forwarded. The leader writes through a transactional producer whose
 * {@code transactional.id} is shared by every instance on the topic: becoming the writer (once per term) fences
 * whatever the previous leader had in flight, and the new writer computes its records only after reading the log
 * to its end, so two instances can never hand out the same id or version. A write returns once the reader has
 * applied it.
 */
public final class SchemaLog<S extends SchemaLog.State> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchemaLog.class);
    private static final int WRITE_ATTEMPTS = 5;

    private final Map<String, Object> kafka;
    private final String topic;
    private final String writerId;
    private final Duration timeout;
    private final S state;
    /** Whether closing this log hands the registry's leadership over (the election's owner does). */
    private final boolean ownsElection;
    private final LeaderElection election;
    private final TopicPartition partition;
    private final Admin admin;
    private final KafkaConsumer<String, String> consumer;
    private final Thread reader;
    private final Object progress = new Object();
    private volatile long position;
    private volatile boolean running = true;
    private volatile Throwable readerFailure;
    private KafkaProducer<String, String> writer;
    private long writerTerm = -1;

    /** What a write computes from the current state: the records to append, and what to answer. */
    public record Write<T>(List<StoreRecord> records, T result) {
        public static <T> Write<T> nothing(T result) {
            return new Write<>(List.of(), result);
        }
    }

    /** What a log is replayed into: the latest record per key is the state. */
    public interface State {
        /** Applies one record of the log (a null value is a tombstone). */
        void apply(String key, String value);

        /** For the log: what the state holds, e.g. "12 schemas". */
        String summary();
    }

    public SchemaLog(Map<String, Object> kafkaProperties, String topic, String writerId, Duration timeout,
                     S state, LeaderElection election) {
        this(kafkaProperties, topic, writerId, timeout, state, election, true);
    }

    /**
     * @param ownsElection false for a second log written under the same election (the DEK registry's keys): closing
     *                     it leaves the leadership to the log that owns it
     */
    public SchemaLog(Map<String, Object> kafkaProperties, String topic, String writerId, Duration timeout,
                     S state, LeaderElection election, boolean ownsElection) {
        this.ownsElection = ownsElection;
        this.kafka = Map.copyOf(kafkaProperties);
        this.topic = topic;
        this.writerId = writerId;
        this.timeout = timeout;
        this.state = state;
        this.election = election;
        this.partition = new TopicPartition(topic, 0);
        this.admin = Admin.create(kafka);
        Map<String, Object> c = new HashMap<>(kafka);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
        this.reader = new Thread(this::follow, "schema-log-reader-" + topic);
        this.reader.setDaemon(true);
    }

    /** Creates the topic if missing, replays it, and returns once the state has caught up with the log. */
    public SchemaLog<S> start() {
        ensureTopic();
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        reader.start();
        awaitCaughtUp();
        log.info("store {} caught up at offset {}: {}", topic, position, state.summary());
        return this;
    }

    /** One partition, or ids could be handed out out of order; compacted, the latest record per key is the state. */
    private void ensureTopic() {
        try {
            int brokers = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            short replicas = (short) Math.min(3, Math.max(1, brokers));
            Topics.ensure(admin, topic, 1, replicas, Map.of("cleanup.policy", "compact",
                    "min.insync.replicas", String.valueOf(Math.max(1, replicas - 1))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing " + topic, e);
        } catch (ExecutionException | TimeoutException | MeshException e) {
            throw new IllegalStateException("cannot prepare schema topic " + topic + " on "
                    + kafka.get("bootstrap.servers") + ": " + e.getMessage(), e);
        }
    }

    private void follow() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    state.apply(r.key(), r.value());
                }
                long now = consumer.position(partition);
                if (now != position) {
                    synchronized (progress) {
                        position = now;
                        progress.notifyAll();
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable t) {
            readerFailure = t;
            log.error("schema store reader of {} stopped", topic, t);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Offset the state has applied up to (exclusive). */
    public long position() {
        return position;
    }

    /** The committed end of the log: what the state must reach to be current. */
    public long endOffset() {
        return endOffset(Duration.ZERO);
    }

    public boolean readerAlive() {
        return reader.isAlive() && readerFailure == null;
    }

    public Admin admin() {
        return admin;
    }

    public String topic() {
        return topic;
    }

    private void awaitCaughtUp() {
        awaitPosition(endOffset(timeout));
    }

    /**
     * The end offset, waiting up to {@code patience} while the partition is not yet known: a topic just created is
     * in the broker's metadata a moment later.
     */
    private long endOffset(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                return admin.listOffsets(Map.of(partition, OffsetSpec.latest()),
                                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                        .partitionResult(partition).get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw RegistryException.storeTimeout("cannot read the end of " + topic + ": " + e.getMessage());
                }
            } catch (TimeoutException e) {
                throw RegistryException.storeTimeout("cannot read the end of " + topic + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RegistryException.storeTimeout("interrupted reading the end of " + topic);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RegistryException.storeTimeout("interrupted while waiting for " + topic);
            }
        }
    }

    private void awaitPosition(long target) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (position < target) {
                if (!running) {
                    throw shuttingDown();
                }
                if (readerFailure != null) {
                    throw RegistryException.storeError("the reader of " + topic + " failed: " + readerFailure);
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw RegistryException.storeTimeout("the store did not read " + topic + " up to offset " + target
                            + " within " + timeout + " (at " + position + ")");
                }
                try {
                    progress.wait(Math.min(left, 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw RegistryException.storeTimeout("interrupted while reading " + topic);
                }
            }
        }
    }

    /**
     * Computes records from the current state and appends them atomically; returns the write's result once the
     * state includes them. Validation errors thrown by {@code compute} reach the caller untouched; on an instance
     * that does not lead, {@link NotLeaderException} names the leader to forward to.
     */
    public synchronized <T> T write(Function<S, Write<T>> compute) {
        for (int attempt = 1; ; attempt++) {
            Leader leader = currentLeader();
            if (!leader.instanceId().equals(election.instanceId())) {
                closeWriter();
                throw new NotLeaderException(leader);
            }
            ensureWriter(election.term());
            Write<T> write = compute.apply(state);
            if (write.records().isEmpty()) {
                return write.result();
            }
            try {
                writer.beginTransaction();
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (StoreRecord r : write.records()) {
                    sent.add(writer.send(new ProducerRecord<>(topic, 0, r.key(), r.value())));
                }
                writer.commitTransaction();
                long last = sent.get(sent.size() - 1).get().offset();
                awaitPosition(last + 1);
                return write.result();
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                closeWriter();
                throw RegistryException.storeTimeout("writing to " + topic + ": " + e.getMessage());
            } catch (KafkaException | ExecutionException e) {
                closeWriter();
                if (!fenced(e)) {
                    throw RegistryException.storeError("writing to " + topic + ": " + e.getMessage());
                }
                // Another instance was elected and fenced us: our records were aborted. Its election reaches us
                // within a heartbeat; then the write goes to it.
                log.info("schema writer fenced (attempt {}: {}); waiting for the new leader", attempt, e.toString());
                Optional<Leader> next = election.awaitLeader(leader, timeout);
                if (next.isPresent() && !next.get().instanceId().equals(election.instanceId())) {
                    throw new NotLeaderException(next.get());
                }
                if (attempt >= WRITE_ATTEMPTS) {
                    throw new RegistryException(500, 50004, "Could not write to " + topic
                            + ": another registry instance keeps taking over its transactional id '" + writerId
                            + "' without being elected (is a registry outside this group writing the same topic?)");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeWriter();
                throw RegistryException.storeTimeout("interrupted writing to " + topic);
            }
        }
    }

    /** 503: a client or a forwarding follower tries another instance, or the next leader. */
    private static RegistryException shuttingDown() {
        return new RegistryException(503, 50003, "This registry instance is shutting down");
    }

    private Leader currentLeader() {
        if (election.closed() || !running) {
            throw shuttingDown();
        }
        return election.awaitLeader(timeout).orElseThrow(() -> new RegistryException(500, 50004,
                "No registry leader was elected within " + timeout + (election.eligible()
                        ? "" : "; this instance has leader.eligibility=false and no eligible instance is running")));
    }

    /**
     * Whether a failed write was aborted because another instance took over the transactional id. Depending on
     * when the other instance's initTransactions lands (and on the transaction protocol version), the fenced
     * writer sees ProducerFenced, InvalidProducerEpoch, or, when the coordinator has already aborted its
     * transaction, InvalidTxnState or TransactionAbortable; possibly as the cause of another error.
     */
    private static boolean fenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException
                    || t instanceof InvalidTxnStateException || t instanceof TransactionAbortableException
                    || t instanceof TransactionAbortedException) {
                return true;
            }
        }
        return false;
    }

    /** Becomes the writer for this term: fences the previous leader's producer exactly once, then catches up. */
    private void ensureWriter(long term) {
        if (writer != null && writerTerm == term) {
            return;
        }
        closeWriter();
        Map<String, Object> p = ReliableProducer.settings(kafka);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, writerId);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        int requestTimeout = (int) Math.min(timeout.toMillis(), 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, requestTimeout + 5_000);
        KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw RegistryException.storeTimeout("cannot become the writer of " + topic + ": " + e.getMessage());
        }
        writer = producer;
        writerTerm = term;
        // Fencing is done; whatever the previous writer committed is now final. Read it before computing anything.
        awaitCaughtUp();
    }

    private void closeWriter() {
        if (writer != null) {
            try {
                writer.close(Duration.ofSeconds(1));
            } catch (RuntimeException e) {
                log.debug("closing fenced writer", e);
            }
            writer = null;
        }
    }

    @Override
    public void close() {
        // hand leadership over while this instance can still forward the writes that reach it, then leave
        if (ownsElection) {
            election.resign(Duration.ofSeconds(10));
            election.close();
        }
        running = false;
        consumer.wakeup();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            closeWriter();
        }
        admin.close(Duration.ofSeconds(2));
    }
}
