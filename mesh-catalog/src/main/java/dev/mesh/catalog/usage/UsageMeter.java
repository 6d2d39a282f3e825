package dev.mesh.catalog.usage;

import dev.mesh.catalog.CatalogApplication;
import dev.mesh.catalog.ProductSummaries;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.kafka.FollowedTopics;
import dev.mesh.sdk.kafka.JsonTopic;
import dev.mesh.sdk.kafka.Topics;
import dev.mesh.sdk.ops.ConsumerLag;
import dev.mesh.sdk.ops.MeshOps;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Who reads each product and how much, per day, from the consumer groups' committed offsets (as measured for the
 * SLOs: what a group committed is what it read) and the partitions' sizes on the brokers: kept on {@code _mesh.usage}
 * (compacted, a record per day, product and group) for chargeback and for telling an owner whom a change will hurt.
 * A group's first measurement is its baseline: what it read before the catalog first saw it is not counted.
 */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class UsageMeter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UsageMeter.class);
    static final String TOPIC = Naming.USAGE_TOPIC;

    private final MeshOps ops;
    private final JsonTopic topic;
    private final FollowedTopics<Map<String, DailyUsage>> kept;
    /** Per topic and group, the last committed offsets seen (from the kept records at first). */
    private final Map<String, Map<Integer, Long>> baselines = new HashMap<>();
    private final Map<String, DailyUsage> today = new HashMap<>();
    private boolean started;

    UsageMeter(MeshOps ops) {
        this.ops = ops;
        this.topic = new JsonTopic(TOPIC, ops.mesh().kafkaProperties());
        this.kept = FollowedTopics.topic(ops.mesh().kafkaProperties(), TOPIC, Latest::new);
    }

    /** Every day's usage kept, by key. */
    public Collection<DailyUsage> all() {
        return kept.current().values();
    }

    /** Counts what each group read since the last observation; called by the SLO evaluation with its observations. */
    public synchronized void record(List<ProductSummaries.Observation> observations, Instant now) {
        if (!started) {
            Topics.ensure(ops.mesh().admin(), TOPIC, 1, ops.mesh().replicationFactor(), Map.of("cleanup.policy", "compact"));
            // the newest kept offsets of every group: a restarted catalog goes on from them
            kept.current().values().stream().sorted(java.util.Comparator.comparing(DailyUsage::day))
                    .forEach(u -> baselines.put(u.topic() + "|" + u.group(), u.offsets()));
            kept.current().values().stream().filter(u -> u.day().equals(day(now))).forEach(u -> today.put(u.key(), u));
            started = true;
        }
        Map<String, Long> sizes = logSizes(observations);
        LocalDate day = day(now);
        today.keySet().removeIf(k -> !k.startsWith(day + "|"));
        for (ProductSummaries.Observation o : observations) {
            String t = o.product().topic();
            long recordBytes = o.topic().records() <= 0 ? 0 : sizes.getOrDefault(t, 0L) / o.topic().records();
            for (ConsumerLag lag : o.lags()) {
                String id = t + "|" + lag.group();
                Map<Integer, Long> committed = new HashMap<>();
                lag.partitions().forEach(p -> committed.put(p.partition(), p.committed()));
                Map<Integer, Long> before = baselines.put(id, Map.copyOf(committed));
                if (before == null) {
                    continue;
                }
                long records = lag.partitions().stream()
                        .mapToLong(p -> Math.max(0, p.committed() - before.getOrDefault(p.partition(), p.committed()))).sum();
                String key = day + "|" + id;
                DailyUsage was = today.get(key);
                if (records == 0 && was != null) {
                    continue;
                }
                // a group's first record of the day is written even when it read nothing: it keeps the offsets
                DailyUsage next = new DailyUsage(day, t, o.product().product(), lag.group(), Naming.groupDomain(lag.group()).orElse("unknown"),
                        (was == null ? 0 : was.records()) + records, (was == null ? 0 : was.bytes()) + records * recordBytes,
                        records > 0 ? now : was == null ? null : was.lastReadAt(), Map.copyOf(committed));
                today.put(key, next);
                topic.send(key, next).whenComplete((done, error) -> {
                    if (error != null) {
                        log.warn("usage of {} by {} not kept: {}", t, lag.group(), error.toString());
                    }
                });
            }
        }
    }

    /** Per topic, the size of its partitions on the brokers (the largest replica of each). */
    private Map<String, Long> logSizes(List<ProductSummaries.Observation> observations) {
        Map<TopicPartition, Long> sizes = new HashMap<>();
        try {
            List<Integer> brokers = ops.mesh().admin().describeCluster().nodes().get(10, TimeUnit.SECONDS).stream()
                    .map(org.apache.kafka.common.Node::id).toList();
            java.util.Set<String> topics = new java.util.HashSet<>();
            observations.forEach(o -> topics.add(o.product().topic()));
            for (Map<String, LogDirDescription> dirs : ops.mesh().admin().describeLogDirs(brokers).allDescriptions()
                    .get(10, TimeUnit.SECONDS).values()) {
                dirs.values().forEach(d -> d.replicaInfos().forEach((tp, replica) -> {
                    if (topics.contains(tp.topic())) {
                        sizes.merge(tp, replica.size(), Math::max);
                    }
                }));
            }
        } catch (Exception e) {
            log.warn("partition sizes unknown, bytes read not counted this time: {}", e.toString());
        }
        Map<String, Long> byTopic = new HashMap<>();
        sizes.forEach((tp, size) -> byTopic.merge(tp.topic(), size, Long::sum));
        return byTopic;
    }

    private static LocalDate day(Instant at) {
        return at.atZone(ZoneOffset.UTC).toLocalDate();
    }

    /** The newest record per key. */
    private static final class Latest implements FollowedTopics.Fold<Map<String, DailyUsage>> {
        private final Map<String, DailyUsage> usage = new HashMap<>();

        @Override
        public void apply(ConsumerRecord<String, String> record) {
            if (record.value() == null) {
                usage.remove(record.key());
                return;
            }
            try {
                DailyUsage u = JsonTopic.JSON.readValue(record.value(), DailyUsage.class);
                usage.put(u.key(), u);
            } catch (Exception e) {
                // not usage
            }
        }

        @Override
        public Map<String, DailyUsage> state() {
            return Map.copyOf(usage);
        }
    }

    @Override
    @PreDestroy
    public void close() {
        kept.close();
        topic.close();
    }
}
