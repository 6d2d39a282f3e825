package dev.mesh.sdk.catalog;

import dev.mesh.sdk.internal.ReliableProducer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.sdk.internal.MeshClients;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.internal.JsonTopic;
import dev.mesh.sdk.internal.Topics;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The mesh's catalog in the compacted {@code _mesh.catalog} topic: one record per product (key
 * {@code product|<topic>}) and per consumer of a product (key {@code consumer|<group>|<topic>}), JSON values.
 * Publishers and Streams apps write it; ops tools and the web catalog read it.
 */
public final class Catalog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Catalog.class);
    static final ObjectMapper JSON = JsonTopic.JSON;

    private final MeshClients mesh;
    private KafkaProducer<String, String> producer;

    public Catalog(MeshClients mesh) {
        this.mesh = mesh;
    }

    public void publishProduct(ProductEntry entry) {
        write("product|" + entry.topic(), "product", entry);
    }

    public void recordConsumer(ConsumerEntry entry) {
        write("consumer|" + entry.group() + "|" + entry.topic(), "consumer", entry);
    }

    private synchronized void write(String key, String type, Object entry) {
        ObjectNode value = JSON.valueToTree(entry);
        value.put("type", type);
        try {
            producer().send(new ProducerRecord<>(Naming.CATALOG_TOPIC, key, JSON.writeValueAsString(value)))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new MeshException("cannot write " + key + " to the catalog topic " + Naming.CATALOG_TOPIC
                    + ": " + e.getMessage(), e);
        }
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            ensureTopic();
            producer = new KafkaProducer<>(ReliableProducer.settings(mesh.kafka()), new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    private void ensureTopic() {
        Topics.ensure(mesh.admin(), Naming.CATALOG_TOPIC, 1, mesh.replicationFactor(), Map.of("cleanup.policy", "compact"));
    }

    /** Reads the whole catalog topic, up to its current end. */
    public CatalogSnapshot read() {
        return read(mesh.kafka());
    }

    /** Reads the catalog of the cluster these Kafka properties point at (for tools without a {@code Mesh}). */
    public static CatalogSnapshot read(Map<String, Object> kafkaProperties) {
        Map<String, ProductEntry> products = new LinkedHashMap<>();
        Map<String, ConsumerEntry> consumers = new LinkedHashMap<>();
        JsonTopic.readAll(kafkaProperties, Naming.CATALOG_TOPIC, r -> apply(r, products, consumers));
        return new CatalogSnapshot(products, new ArrayList<>(consumers.values()));
    }

    private static void apply(ConsumerRecord<String, String> r, Map<String, ProductEntry> products,
                              Map<String, ConsumerEntry> consumers) {
        if (r.key() == null) {
            return;
        }
        try {
            if (r.value() == null) {
                products.remove(r.key().substring(r.key().indexOf('|') + 1));
                consumers.remove(r.key());
                return;
            }
            JsonNode value = JSON.readTree(r.value());
            switch (value.path("type").asText()) {
                case "product" -> {
                    ProductEntry p = JSON.treeToValue(value, ProductEntry.class);
                    products.put(p.topic(), p);
                }
                case "consumer" -> consumers.put(r.key(), JSON.treeToValue(value, ConsumerEntry.class));
                default -> log.debug("skipping catalog record {} of unknown type", r.key());
            }
        } catch (Exception e) {
            log.warn("skipping unreadable catalog record {} at offset {}: {}", r.key(), r.offset(), e.toString());
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
