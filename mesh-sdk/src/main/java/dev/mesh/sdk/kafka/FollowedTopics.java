package dev.mesh.sdk.kafka;

import dev.mesh.sdk.errors.MeshException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Compacted mesh topics (the catalog, the grants) followed by one long-lived consumer on a thread of its own, every
 * record folded into a state as it arrives, so that a request reads the state as of the last poll instead of reading
 * the topics again (a consumer, a SCRAM sign-in and a whole topic per request, and every other request waiting on
 * it). Only the first {@link #current()} waits: until the topics are read up to the ends they had when following
 * began. New topics of a prefix are found every {@value #LOOKUP_MS} ms. A consumer that fails is replaced and its
 * successor folds from the beginning again; readers keep the last state until the new one has caught up.
 *
 * @param <S> the folded state, immutable once published
 */
public final class FollowedTopics<S> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FollowedTopics.class);
    private static final long LOOKUP_MS = 2_000;
    private static final Duration FIRST_READ = Duration.ofSeconds(30);

    /** Folds records into a state; {@link #state()} gives an immutable copy of what was folded so far. */
    public interface Fold<S> {
        void apply(ConsumerRecord<String, String> record);

        S state();
    }

    private final String what;
    private final Map<String, Object> kafka;
    private final Function<KafkaConsumer<String, String>, List<TopicPartition>> find;
    private final Supplier<? extends Fold<S>> folds;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    private volatile S state;
    private volatile boolean closed;
    private volatile KafkaConsumer<String, String> consumer;

    private FollowedTopics(String what, Map<String, Object> kafka, Function<KafkaConsumer<String, String>, List<TopicPartition>> find,
                           Supplier<? extends Fold<S>> folds) {
        this.what = what;
        this.kafka = new HashMap<>(kafka);
        this.kafka.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.kafka.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.kafka.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.kafka.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.find = find;
        this.folds = folds;
        this.thread = new Thread(this::follow, "follow-" + what);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Follows one topic (none yet, or not readable by this principal: the state of no record). */
    public static <S> FollowedTopics<S> topic(Map<String, Object> kafka, String topic, Supplier<? extends Fold<S>> folds) {
        return new FollowedTopics<>(topic, kafka, c -> c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList(), folds);
    }

    /** Follows every topic whose name starts with {@code prefix} that this principal may describe, new ones too. */
    public static <S> FollowedTopics<S> prefix(Map<String, Object> kafka, String prefix, Supplier<? extends Fold<S>> folds) {
        return new FollowedTopics<>(prefix + "*", kafka, c -> c.listTopics(Duration.ofSeconds(10)).entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix)).flatMap(e -> e.getValue().stream())
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList(), folds);
    }

    /** The state as of the last poll; the first call waits until the topics have been read up to their ends. */
    public S current() {
        try {
            if (!caughtUp.await(FIRST_READ.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new MeshException("timed out reading " + what + " (" + FIRST_READ.toSeconds() + " s)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted while reading " + what);
        }
        return state;
    }

    private void follow() {
        while (!closed) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(kafka, new StringDeserializer(), new StringDeserializer())) {
                consumer = c;
                if (closed) {
                    return;
                }
                followWith(c, folds.get());
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (!closed) {
                    log.warn("following {} failed, following it again from the start in 1 s: {}", what, e.toString());
                    pause();
                }
            }
        }
    }

    private void followWith(KafkaConsumer<String, String> c, Fold<S> fold) {
        Set<TopicPartition> assigned = new HashSet<>();
        Map<TopicPartition, Long> ends = null;
        boolean published = false;
        long lookupAt = 0;
        while (!closed) {
            if (System.currentTimeMillis() >= lookupAt) {
                Set<TopicPartition> found = new HashSet<>(partitions(c));
                if (!found.equals(assigned)) {
                    Set<TopicPartition> added = new HashSet<>(found);
                    added.removeAll(assigned);
                    c.assign(found);
                    c.seekToBeginning(added);
                    assigned = found;
                }
                if (ends == null) {
                    ends = c.endOffsets(assigned);
                }
                lookupAt = System.currentTimeMillis() + LOOKUP_MS;
            }
            int records = 0;
            if (!assigned.isEmpty()) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    fold.apply(r);
                    records++;
                }
            } else {
                pause();
            }
            if (!published && caughtUp(c, ends)) {
                published = true;
                state = fold.state();
                caughtUp.countDown();
            } else if (published && records > 0) {
                state = fold.state();
            }
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, String> c) {
        try {
            return find.apply(c);
        } catch (AuthorizationException e) {
            return List.of(); // this principal may not read it: nothing of it counts
        }
    }

    private static boolean caughtUp(KafkaConsumer<String, String> c, Map<TopicPartition, Long> ends) {
        Set<TopicPartition> assigned = c.assignment();
        return ends.entrySet().stream().allMatch(e -> !assigned.contains(e.getKey()) || c.position(e.getKey()) >= e.getValue());
    }

    private void pause() {
        try {
            stopped.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        stopped.countDown();
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            try {
                c.wakeup();
            } catch (KafkaException e) {
                // already closed
            }
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
