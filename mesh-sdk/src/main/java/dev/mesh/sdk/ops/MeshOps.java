package dev.mesh.sdk.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ConsumerEntry;
import dev.mesh.sdk.catalog.ProductEntry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What ops tools ask of a mesh, against any cluster: products with their freshness, consumers with their lag in
 * records and time, records of a product decoded, dead letters. The CLI and the web catalog both read through it.
 */
public final class MeshOps implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Mesh mesh;

    public MeshOps(Mesh mesh) {
        this.mesh = mesh;
    }

    public Mesh mesh() {
        return mesh;
    }

    /** Closes the mesh connection it reads through. */
    @Override
    public void close() {
        mesh.close();
    }

    public CatalogSnapshot catalog() {
        return mesh.catalog().read();
    }

    /** Resolves {@code sales.orders} (latest major in the catalog) or a topic name such as {@code sales.orders.v1}. */
    public ProductEntry product(CatalogSnapshot catalog, String idOrTopic) {
        return catalog.product(idOrTopic).or(() -> catalog.latest(idOrTopic)).orElseThrow(() -> new MeshException(
                "no product '" + idOrTopic + "' in the catalog; known: " + catalog.products().keySet()));
    }

    // ---- products --------------------------------------------------------------------------------------------

    public List<ProductStatus> products() {
        CatalogSnapshot catalog = catalog();
        List<ConsumerLag> lags = allLags(catalog);
        Set<String> topics = DeadLetterQueues.topics(this);
        List<ProductStatus> out = new ArrayList<>();
        for (ProductEntry p : catalog.allProducts().stream().sorted(java.util.Comparator.comparing(ProductEntry::topic)).toList()) {
            out.add(status(p, lags, catalog, topics));
        }
        return out;
    }

    public ProductStatus status(ProductEntry p) {
        CatalogSnapshot catalog = catalog();
        return status(p, allLags(catalog), catalog, DeadLetterQueues.topics(this));
    }

    /**
     * The product's status with the lags already read: those of its consumers, and for a derived product those of
     * its Streams app ({@link #lag(Optional)} of its application id), which say how far behind its inputs it is.
     */
    public ProductStatus status(ProductEntry p, List<ConsumerLag> lags, CatalogSnapshot catalog) {
        return status(p, lags, catalog, DeadLetterQueues.topics(this));
    }

    private ProductStatus status(ProductEntry p, List<ConsumerLag> lags, CatalogSnapshot catalog, Set<String> topics) {
        Optional<TopicDescription> topic = describe(p.topic());
        if (topic.isEmpty()) {
            return new ProductStatus(p, false, 0, 0, Optional.empty(), false, Optional.empty(), 0, List.of());
        }
        List<TopicPartition> partitions = partitions(topic.get());
        Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
        long records = partitions.stream().mapToLong(tp -> end.get(tp) - start.get(tp)).sum();
        Optional<Instant> newest = newestTimestamp(partitions);
        Optional<Duration> inputLag = inputLag(p, lags);
        boolean breached = p.freshness() != null && (newest.map(n -> Duration.between(n, Instant.now())
                .compareTo(Duration.parse(p.freshness())) > 0).orElse(true)
                || inputLag.map(l -> l.compareTo(Duration.parse(p.freshness())) > 0).orElse(false));
        long dead = deadLetterCounts(p, catalog, topics).values().stream().mapToLong(Long::longValue).sum();
        List<ConsumerLag> consumers = lags.stream().filter(l -> l.topic().equals(p.topic())).toList();
        return new ProductStatus(p, true, partitions.size(), records, newest, breached, inputLag, dead, consumers);
    }

    /**
     * For a derived product, how far behind its Streams app is on its inputs: a stuck or failing app shows here long
     * before its product's newest record grows old, if its inputs keep moving.
     */
    public static Optional<Duration> inputLag(ProductEntry p, List<ConsumerLag> lags) {
        if (p.streamsApplicationId() == null) {
            return Optional.empty();
        }
        return lags.stream().filter(l -> l.group().equals(p.streamsApplicationId()))
                .map(ConsumerLag::timeLag).flatMap(Optional::stream).max(Duration::compareTo);
    }

    private Optional<Instant> newestTimestamp(List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
        partitions.forEach(tp -> spec.put(tp, OffsetSpec.maxTimestamp()));
        try {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
                    mesh.admin().listOffsets(spec).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return result.values().stream().filter(r -> r.offset() >= 0 && r.timestamp() >= 0)
                    .map(r -> Instant.ofEpochMilli(r.timestamp())).max(Instant::compareTo);
        } catch (Exception e) {
            throw new MeshException("cannot read the newest timestamps of " + partitions + ": " + e.getMessage(), e);
        }
    }

    // ---- consumers and lag -----------------------------------------------------------------------------------

    /** Lag of every consumer group (or the one named) on every topic it has committed offsets for. */
    public List<ConsumerLag> lag(Optional<String> group) {
        return group.map(g -> lagOf(g, catalog())).orElseGet(() -> allLags(catalog()));
    }

    private List<ConsumerLag> allLags(CatalogSnapshot catalog) {
        List<ConsumerLag> out = new ArrayList<>();
        try {
            Collection<ConsumerGroupListing> groups = mesh.admin().listConsumerGroups().all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            for (ConsumerGroupListing g : groups) {
                out.addAll(lagOf(g.groupId(), catalog));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted listing consumer groups", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new MeshException("cannot list consumer groups: " + e.getMessage(), e);
        }
        out.sort(java.util.Comparator.comparing(ConsumerLag::group).thenComparing(ConsumerLag::topic));
        return out;
    }

    private List<ConsumerLag> lagOf(String group, CatalogSnapshot catalog) {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = mesh.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new MeshException("cannot read the offsets of group " + group + ": " + e.getMessage(), e);
        }
        Map<String, Map<Integer, Long>> byTopic = new TreeMap<>();
        committed.forEach((tp, om) -> {
            if (om != null && !tp.topic().startsWith("_") && !tp.topic().contains("-KSTREAM-") && !tp.topic().endsWith("-repartition")) {
                byTopic.computeIfAbsent(tp.topic(), t -> new TreeMap<>()).put(tp.partition(), om.offset());
            }
        });
        List<ConsumerLag> out = new ArrayList<>();
        for (var topic : byTopic.entrySet()) {
            List<TopicPartition> partitions = topic.getValue().keySet().stream().map(p -> new TopicPartition(topic.getKey(), p)).toList();
            Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
            List<ConsumerLag.PartitionLag> lags = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                long at = topic.getValue().get(tp.partition());
                long lag = Math.max(0, end.get(tp) - at);
                lags.add(new ConsumerLag.PartitionLag(tp.partition(), at, end.get(tp), lag,
                        lag > 0 ? timestampAt(tp, at).map(t -> Duration.between(t, Instant.now())) : Optional.empty()));
            }
            String product = catalog.product(topic.getKey()).map(ProductEntry::product).orElse(null);
            out.add(new ConsumerLag(group, topic.getKey(), product, lags));
        }
        return out;
    }

    /** Timestamp of the first record at or after {@code offset}: the oldest one a group has not read. */
    private Optional<Instant> timestampAt(TopicPartition tp, long offset) {
        try (KafkaConsumer<byte[], byte[]> consumer = bytesConsumer()) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    return Optional.of(Instant.ofEpochMilli(r.timestamp()));
                }
            }
            return Optional.empty();
        }
    }

    /** Who consumes the product: catalog entries joined with the groups' lag. */
    public List<ConsumerLag> consumersOf(ProductEntry p, CatalogSnapshot catalog) {
        List<ConsumerLag> out = new ArrayList<>();
        for (ConsumerEntry c : catalog.consumersOf(p.topic())) {
            out.add(lagOf(c.group(), catalog).stream().filter(l -> l.topic().equals(p.topic())).findFirst()
                    .orElse(new ConsumerLag(c.group(), p.topic(), p.product(), List.of())));
        }
        return out;
    }

    // ---- records -----------------------------------------------------------------------------------------------

    /** Reads the product's records decoded; see {@link RecordReader}. */
    public RecordReader reader(ProductEntry p) {
        return new RecordReader(this, p);
    }

    /** Where the product's dead letters are: its own DLQ, its consumers' and its Streams readers'. */
    public List<DeadLetterQueue> deadLetterQueues(ProductEntry p) {
        return DeadLetterQueues.of(this, p, catalog());
    }

    /** How many dead letters of the product each of its queues holds, queue by queue. */
    public Map<DeadLetterQueue, Long> deadLetterCounts(ProductEntry p, CatalogSnapshot catalog) {
        return deadLetterCounts(p, catalog, DeadLetterQueues.topics(this));
    }

    private Map<DeadLetterQueue, Long> deadLetterCounts(ProductEntry p, CatalogSnapshot catalog, Set<String> topics) {
        Map<DeadLetterQueue, Long> out = new LinkedHashMap<>();
        DeadLetterQueues.of(p, catalog, topics).forEach(q -> out.put(q, DeadLetterQueues.count(this, q, p)));
        return out;
    }

    /**
     * The product's dead letters, up to {@code limit} from each queue: those its publisher refused that still wait
     * for a redrive (after the redrive group's position), then those its consumers and Streams apps refused.
     */
    public List<DeadLetter> deadLetters(ProductEntry p, int limit) {
        List<DeadLetter> out = new ArrayList<>();
        for (DeadLetterQueue q : deadLetterQueues(p)) {
            out.addAll(q.isPublisher() ? new Redrive(this, p).pending(limit) : DeadLetterQueues.read(this, q, p, limit));
        }
        return out;
    }

    /** Re-validates the product's dead letters against the contract now registered, republishing those that pass. */
    public RedriveReport redrive(ProductEntry p) {
        return new Redrive(this, p).run();
    }

    /** Sum of the topic's end offsets (records ever written, markers included); 0 for a missing topic. */
    public long endOffset(String topic) {
        return describe(topic).map(d -> offsets(partitions(d), OffsetSpec.latest()).values().stream()
                .mapToLong(Long::longValue).sum()).orElse(0L);
    }

    // ---- plumbing ----------------------------------------------------------------------------------------------

    Optional<TopicDescription> describe(String topic) {
        try {
            return Optional.of(mesh.admin().describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new MeshException("cannot describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw new MeshException("cannot describe topic " + topic + ": " + e.getMessage(), e);
        }
    }

    static List<TopicPartition> partitions(TopicDescription d) {
        return d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())).toList();
    }

    Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        try {
            Map<TopicPartition, Long> out = new HashMap<>();
            mesh.admin().listOffsets(request).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        } catch (Exception e) {
            throw new MeshException("cannot read offsets of " + partitions + ": " + e.getMessage(), e);
        }
    }

    KafkaConsumer<byte[], byte[]> bytesConsumer() {
        Map<String, Object> c = new HashMap<>(mesh.kafkaProperties());
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        c.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    KafkaConsumer<String, byte[]> consumer(Optional<String> group) {
        Map<String, Object> c = new HashMap<>(mesh.kafkaProperties());
        group.ifPresentOrElse(g -> c.put(ConsumerConfig.GROUP_ID_CONFIG, g), () -> c.remove(ConsumerConfig.GROUP_ID_CONFIG));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    Admin admin() {
        return mesh.admin();
    }

    static JsonNode text(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s);
    }

    static Set<String> pii() {
        return Set.of("PII");
    }

    static String dlqOf(ProductEntry p) {
        return p.dlqTopic() != null ? p.dlqTopic() : Naming.dlqTopic(p.topic());
    }
}
