package dev.mesh.registry.leader;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * This instance's membership in the registry cluster's group: a Kafka consumer group of its own (by default
 * {@code mesh-registry.<topic>}) whose only work is to elect one leader among the eligible instances
 * ({@link LeaderAssignor}). A crashed leader is replaced once its session times out; one that stops leaves the
 * group at once.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    private final Map<String, Object> kafka;
    private final String groupId;
    private final String topic;
    private volatile boolean eligible;
    private volatile boolean resigning;
    private final Duration sessionTimeout;
    private final String instanceId = UUID.randomUUID().toString();
    private volatile String url;
    private volatile boolean running;
    private boolean closed;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private Optional<Leader> leader = Optional.empty();
    private long term;

    /**
     * @param kafka          client properties, passed to the group's consumer untouched (security included)
     * @param topic          the store topic; members subscribe to it, and its partition is assigned to the leader
     * @param sessionTimeout how long a crashed leader keeps its place before the others elect another
     */
    public LeaderElection(Map<String, Object> kafka, String groupId, String topic, boolean eligible,
                          Duration sessionTimeout) {
        this.kafka = Map.copyOf(kafka);
        this.groupId = groupId;
        this.topic = topic;
        this.eligible = eligible;
        this.sessionTimeout = sessionTimeout;
    }

    /** Joins the group, advertising {@code url} as where followers forward writes if this instance leads. */
    public synchronized void start(String advertisedUrl) {
        if (running) {
            return;
        }
        this.url = advertisedUrl;
        Map<String, Object> c = new HashMap<>(kafka);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        c.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, LeaderAssignor.class.getName());
        c.put(LeaderAssignor.ELECTION_CONFIG, this);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "registry-election-" + instanceId);
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(100, sessionTimeout.toMillis() / 6));
        c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.max(10_000, sessionTimeout.toMillis() * 2));
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        // the leader is assigned the store's partition, as a visible token of leadership; nobody fetches it
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                consumer.pause(partitions);
            }
        });
        running = true;
        thread = new Thread(this::run, "registry-election-" + topic);
        thread.setDaemon(true);
        thread.start();
        log.info("registry instance {} at {} joined group {} ({})", instanceId, url, groupId,
                eligible ? "eligible to lead" : "never leads: leader.eligibility=false");
    }

    private void run() {
        try {
            while (running) {
                try {
                    if (resigning) {
                        resigning = false;
                        consumer.enforceRebalance("this registry instance resigns");
                    }
                    consumer.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // the broker is away or the group is rebalancing with errors: keep the last known leader and try again
                    log.warn("registry leader election in group {}: {}", groupId, e.toString());
                    sleep(500);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Called by the assignor with the group's choice. */
    synchronized void elected(Optional<Leader> chosen, int generation) {
        boolean changed = !chosen.map(Leader::instanceId).equals(leader.map(Leader::instanceId));
        leader = chosen;
        if (changed) {
            term++;
            log.info("registry group {} generation {}: {}", groupId, generation, chosen
                    .map(l -> l.instanceId().equals(instanceId) ? "this instance leads (" + l.url() + ")"
                            : "the leader is " + l.url())
                    .orElse("no instance is eligible to lead"));
        }
        notifyAll();
    }

    public String instanceId() {
        return instanceId;
    }

    public String url() {
        return url;
    }

    public boolean eligible() {
        return eligible;
    }

    public synchronized Optional<Leader> leader() {
        return leader;
    }

    /** Counts changes of leader; a writer made in one term must not write in another. */
    public synchronized long term() {
        return term;
    }

    public synchronized boolean closed() {
        return closed;
    }

    public synchronized boolean isLeader() {
        return leader.map(l -> l.instanceId().equals(instanceId)).orElse(false);
    }

    /** The leader, waiting up to {@code timeout} for an election that has not produced one yet. */
    public synchronized Optional<Leader> awaitLeader(Duration timeout) {
        return awaitLeader(null, timeout);
    }

    /**
     * Waits until a leader other than {@code notThis} is known (or any leader if {@code notThis} is null), or the
     * timeout passes; returns the leader known then.
     */
    public synchronized Optional<Leader> awaitLeader(Leader notThis, Duration timeout) {
        awaitUntil(() -> leader.isPresent() && (notThis == null || !leader.get().instanceId().equals(notThis.instanceId())),
                timeout);
        return leader;
    }

    /**
     * Stops being eligible and, if this instance leads, has the group elect another, waiting up to
     * {@code timeout}: a stopping leader hands over instead of leaving its writes to time out.
     */
    public void resign(Duration timeout) {
        Optional<Leader> next;
        synchronized (this) {
            eligible = false;
            if (!running || !isLeader()) {
                return;
            }
            resigning = true;
            awaitUntil(() -> !isLeader(), timeout);
            next = leader;
        }
        log.info("registry instance {} resigned; {}", instanceId,
                next.filter(l -> !l.instanceId().equals(instanceId)).map(l -> "the leader is now " + l.url())
                        .orElse("no other instance took over"));
    }

    /** Waits, up to the timeout, until the condition holds or the election closes; call holding this monitor. */
    private void awaitUntil(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closed && !condition.getAsBoolean()) {
            long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
            if (left <= 0) {
                return;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            notifyAll();
            if (!running) {
                return;
            }
            running = false;
            t = thread;
            leader = Optional.empty();
            term++;
        }
        consumer.wakeup();
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
