package dev.mesh.sdk;

import dev.mesh.sdk.catalog.Catalog;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.publish.Publisher;
import dev.mesh.sdk.registry.RegistryClient;
import dev.mesh.sdk.streams.ProductStreams;
import dev.mesh.sdk.subscribe.Subscriber;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The SDK's entry point: one per application. Configured with Kafka's and Confluent's property names; every
 * Kafka client property is passed to the clients untouched. Ours: {@code mesh.app} (this application's name in
 * the catalog) and {@code mesh.replication.factor} (for topics the SDK creates; default min(3, brokers)).
 *
 * <pre>{@code
 * try (Mesh mesh = Mesh.connect(Map.of("bootstrap.servers", "localhost:9092",
 *                                        "schema.registry.url", "http://localhost:8081",
 *                                        "mesh.app", "sales-service"));
 *      Publisher<Order> orders = mesh.publisher(ContractLoader.loadResource("/products/sales/orders/v1/contract.yaml"), Order.class)) {
 *     orders.publish(order).get();
 * }
 * }</pre>
 */
public final class Mesh implements AutoCloseable {
    public static final String APP = "mesh.app";
    public static final String REPLICATION_FACTOR = "mesh.replication.factor";
    private static final Set<String> NOT_FOR_KAFKA_PREFIXES = Set.of("mesh.", "schema.registry.", "basic.auth.");
    private static final Set<String> NOT_FOR_KAFKA = Set.of("auto.register.schemas", "use.latest.version", "specific.avro.reader");

    private final Map<String, Object> config;
    private final Map<String, Object> kafka;
    private final RegistryClient registry;
    private final MeterRegistry meters;
    private final Admin admin;
    private final Catalog catalog;

    private Mesh(Map<String, ?> config, MeterRegistry meters) {
        if (config.get("bootstrap.servers") == null) {
            throw new IllegalArgumentException("'bootstrap.servers' is not set: the mesh needs a Kafka cluster, e.g. localhost:9092");
        }
        this.config = Map.copyOf(config);
        Map<String, Object> k = new HashMap<>();
        config.forEach((name, value) -> {
            if (NOT_FOR_KAFKA.contains(name) || NOT_FOR_KAFKA_PREFIXES.stream().anyMatch(name::startsWith)) {
                return;
            }
            k.put(name, value);
        });
        this.kafka = Map.copyOf(k);
        this.registry = RegistryClient.create(config);
        this.meters = meters;
        this.admin = Admin.create(kafka);
        this.catalog = new Catalog(this);
    }

    public static Mesh connect(Map<String, ?> config) {
        return new Mesh(config, Metrics.globalRegistry);
    }

    /** With the application's meter registry, e.g. Micronaut's Prometheus one. */
    public static Mesh connect(Map<String, ?> config, MeterRegistry meters) {
        return new Mesh(config, meters);
    }

    /** Opens a publisher of the product: validates, creates topics, registers the schema and contract. */
    public <T> Publisher<T> publisher(ProductContract contract, Class<T> type) {
        return Publisher.open(this, contract, type);
    }

    /** A typed consumer of the product under a consumer group; configure it and call {@code start()}. */
    public <T> Subscriber.Builder<T> subscriber(ProductContract contract, Class<T> type) {
        return Subscriber.builder(this, contract, type);
    }

    /** Helpers for a Kafka Streams app that reads products and derives one. */
    public ProductStreams streams(String applicationId) {
        return new ProductStreams(this, applicationId);
    }

    public Catalog catalog() {
        return catalog;
    }

    public RegistryClient registry() {
        return registry;
    }

    public Admin admin() {
        return admin;
    }

    public MeterRegistry meters() {
        return meters;
    }

    /** Kafka client properties as given, without the mesh's and the registry's own. */
    public Map<String, Object> kafkaProperties() {
        return kafka;
    }

    /** Every property as given, registry settings included (for serdes). */
    public Map<String, Object> config() {
        return config;
    }

    public String app() {
        return String.valueOf(config.getOrDefault(APP, "unnamed-app"));
    }

    public short replicationFactor() {
        Object configured = config.get(REPLICATION_FACTOR);
        if (configured != null) {
            return Short.parseShort(configured.toString());
        }
        try {
            int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
            return (short) Math.max(1, Math.min(3, brokers));
        } catch (Exception e) {
            throw new MeshException("cannot reach Kafka at " + kafka.get("bootstrap.servers") + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        catalog.close();
    }
}
