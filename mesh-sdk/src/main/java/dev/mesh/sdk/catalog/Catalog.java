package dev.mesh.sdk.catalog;

import dev.mesh.sdk.kafka.ReliableProducer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.sdk.internal.MeshClients;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.kafka.FollowedTopics;
import dev.mesh.sdk.kafka.JsonTopic;
import dev.mesh.sdk.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The mesh's catalog: one compacted topic per domain, {@code _mesh.catalog.<domain>}, that only the domain (and the
 * admin) may write. It holds one record per product of the domain (key {@code product|<topic>}) and per consumer of a
 * product in the domain (key {@code consumer|<group>|<topic>}), JSON values. Publishers and Streams apps write their
 * domain's; ops tools and the web catalog read them all and believe an entry only from its owner's topic: an entry
 * for another domain's product, or for a group outside the domain, is refused and reported, never shown.
 */
public final class Catalog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Catalog.class);
    static final ObjectMapper JSON = JsonTopic.JSON;
    /** The application's domain, where it has one: whose catalog topic its consumers are recorded in. */
    public static final String DOMAIN = "mesh.domain";

    private final MeshClients mesh;
    private KafkaProducer<String, String> producer;
    private final java.util.Set<String> ensured = new java.util.HashSet<>();

    public Catalog(MeshClients mesh) {
        this.mesh = mesh;
    }

    public void publishProduct(ProductEntry entry) {
        String domain = entry.product().substring(0, entry.product().indexOf('.'));
        write(domain, "product|" + entry.topic(), "product", entry);
    }

    public void recordConsumer(ConsumerEntry entry) {
        Object configured = mesh.config().get(DOMAIN);
        java.util.Optional<String> domain = configured != null ? java.util.Optional.of(configured.toString())
                : Naming.groupDomain(entry.group());
        if (domain.isEmpty() || !entry.group().startsWith(Naming.groupPrefix(domain.get()))) {
            log.debug("consumer group {} belongs to no domain by its name; not recorded in the catalog", entry.group());
            return;
        }
        write(domain.get(), "consumer|" + entry.group() + "|" + entry.topic(), "consumer", entry);
    }

    private synchronized void write(String domain, String key, String type, Object entry) {
        ObjectNode value = JSON.valueToTree(entry);
        value.put("type", type);
        String topic = Naming.catalogTopic(domain);
        try {
            producer(topic).send(new ProducerRecord<>(topic, key, JSON.writeValueAsString(value))).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new MeshException("cannot write " + key + " to the catalog topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private KafkaProducer<String, String> producer(String topic) {
        if (ensured.add(topic)) {
            dev.mesh.sdk.internal.TopicSpec.compacted(topic, mesh.replicationFactor()).ensure(mesh.admin());
        }
        if (producer == null) {
            producer = new KafkaProducer<>(ReliableProducer.settings(mesh.kafka()), new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    /** Reads every domain's catalog topic, up to its current end. */
    public CatalogSnapshot read() {
        return read(mesh.kafka());
    }

    /** Reads the catalog of the cluster these Kafka properties point at (for tools without a {@code Mesh}). */
    public static CatalogSnapshot read(Map<String, Object> kafkaProperties) {
        Entries entries = new Entries();
        JsonTopic.readAllWithPrefix(kafkaProperties, Naming.CATALOG_PREFIX, entries::apply);
        return entries.state();
    }

    /**
     * Follows every domain's catalog topic for a service that answers many requests: {@code current()} is the catalog
     * as of the last poll, read without waiting.
     */
    public static FollowedTopics<CatalogSnapshot> follow(Map<String, Object> kafkaProperties) {
        return FollowedTopics.prefix(kafkaProperties, Naming.CATALOG_PREFIX, Entries::new);
    }

    /** The entries read so far, each believed only from its owner's topic. */
    private static final class Entries implements FollowedTopics.Fold<CatalogSnapshot> {
        /** A product's or a consumer's key ({@code consumer|<group>|<topic>}): Kafka's names are at most 249 characters. */
        static final int MAX_KEY = 600;
        static final int MAX_REFUSED = 1_000;
        static final int MAX_CONSUMERS = 10_000;
        final Map<String, ProductEntry> products = new java.util.TreeMap<>();
        final Map<String, ConsumerEntry> consumers = new LinkedHashMap<>();
        /**
         * By topic and key: the latest refusal of each, so a later valid entry or tombstone does not undo it; the newest
         * {@value #MAX_REFUSED}, as a domain may write as many refused records as it likes.
         */
        final Map<String, String> refused = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > MAX_REFUSED;
            }
        };
        /** Consumer entries per domain, bounded: every entry is held in memory by every reader of the catalog. */
        final Map<String, Integer> consumersOf = new java.util.HashMap<>();

        @Override
        public CatalogSnapshot state() {
            return new CatalogSnapshot(new java.util.TreeMap<>(products), new ArrayList<>(consumers.values()), List.copyOf(refused.values()));
        }

        @Override
        public void apply(ConsumerRecord<String, String> r) {
            String domain = Naming.catalogDomain(r.topic()).orElse(null);
            if (r.key() == null || domain == null) {
                return;
            }
            String key = r.key().length() > 200 ? r.key().substring(0, 200) + "... (" + r.key().length() + " characters)" : r.key();
            String where = r.topic() + " " + key;
            try {
                String problem = r.key().length() > MAX_KEY
                        ? "a key of " + r.key().length() + " characters; a catalog key has at most " + MAX_KEY
                        : problem(domain, r.key(), r.value());
                if (problem == null && r.value() != null && r.key().startsWith("consumer|") && !consumers.containsKey(r.key())
                        && consumersOf.getOrDefault(domain, 0) >= MAX_CONSUMERS) {
                    problem = domain + " already describes " + MAX_CONSUMERS + " consumers; the catalog keeps no more per domain";
                }
                if (problem != null) {
                    refused.put(where, where + " (offset " + r.offset() + "): " + problem);
                    log.warn("catalog entry refused: {} (offset {}): {}", where, r.offset(), problem);
                    return;
                }
                if (r.value() == null) {
                    if (r.key().startsWith("product|")) {
                        products.remove(r.key().substring("product|".length()));
                    }
                    if (consumers.remove(r.key()) != null) {
                        consumersOf.merge(domain, -1, Integer::sum);
                    }
                    return;
                }
                JsonNode value = JSON.readTree(r.value());
                switch (value.path("type").asText()) {
                    case "product" -> {
                        ProductEntry p = JSON.treeToValue(value, ProductEntry.class);
                        products.put(p.topic(), p);
                    }
                    case "consumer" -> {
                        if (consumers.put(r.key(), JSON.treeToValue(value, ConsumerEntry.class)) == null) {
                            consumersOf.merge(domain, 1, Integer::sum);
                        }
                    }
                    default -> log.debug("skipping catalog record {} of unknown type", r.key());
                }
            } catch (Exception e) {
                refused.put(where, where + " (offset " + r.offset() + "): unreadable: " + e.getMessage());
                log.warn("skipping unreadable catalog record {} at offset {}: {}", where, r.offset(), e.toString());
            }
        }

        /** Why a record of {@code domain}'s catalog topic may not say what it says, or null if it may. */
        private static String problem(String domain, String key, String json) throws Exception {
            if (key.startsWith("product|")) {
                String topic = key.substring("product|".length());
                var parsed = Naming.parseTopic(topic);
                if (parsed.isEmpty()) {
                    return "'" + topic + "' is not a product topic";
                }
                if (!parsed.get().product().domain().equals(domain)) {
                    return "only " + parsed.get().product().domain() + " describes " + topic + ", not " + domain;
                }
                if (json == null) {
                    return null;
                }
                JsonNode value = JSON.readTree(json);
                ProductEntry p = JSON.treeToValue(value, ProductEntry.class);
                String expected = Naming.topic(parsed.get().product(), parsed.get().major());
                if (!topic.equals(p.topic()) || !parsed.get().product().toString().equals(p.product()) || p.major() != parsed.get().major()
                        || !expected.equals(p.topic())) {
                    return "the entry describes " + p.product() + " v" + p.major() + " (" + p.topic() + ") under the key of " + topic;
                }
                if (p.streamsApplicationId() != null && !p.streamsApplicationId().startsWith(Naming.groupPrefix(domain))) {
                    return "its Streams app " + p.streamsApplicationId() + " is not one of " + domain + "'s (" + Naming.groupPrefix(domain) + "...)";
                }
                // what the catalog evaluates on a schedule must read: one entry must not stop every product's evaluation
                return p.sloProblem().orElse(null);
            }
            if (key.startsWith("consumer|")) {
                String[] parts = key.split("\\|", 3);
                if (parts.length < 3 || !parts[1].startsWith(Naming.groupPrefix(domain))) {
                    return "consumer group " + (parts.length > 1 ? parts[1] : "?") + " is not one of " + domain + "'s ("
                            + Naming.groupPrefix(domain) + "...)";
                }
                if (json != null) {
                    ConsumerEntry c = JSON.treeToValue(JSON.readTree(json), ConsumerEntry.class);
                    if (!parts[1].equals(c.group()) || !parts[2].equals(c.topic())) {
                        return "the entry describes group " + c.group() + " on " + c.topic() + " under the key of " + parts[1] + " on " + parts[2];
                    }
                }
                return null;
            }
            return "unknown kind of entry";
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
