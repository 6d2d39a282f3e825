package dev.mesh.sdk;

import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.catalog.Catalog;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.internal.MeshClients;
import dev.mesh.sdk.registry.RegistryClient;
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
 * the catalog), {@code mesh.replication.factor} (for topics the SDK creates; default min(3, brokers)) and
 * {@code mesh.provision} ({@code require}, the default: a product's topics exist before it is opened, as
 * {@code mesh apply} creates them; {@code apply}: this program creates the topics of what it opens, for development)
 * and {@code mesh.instance} (this instance's stable name, unique among the instances of the application: its
 * Streams apps and subscribers join their groups as static members under it, see {@link #INSTANCE}).
 *
 * <pre>{@code
 * try (Mesh mesh = Mesh.connect(Map.of("bootstrap.servers", "localhost:9092",
 *                                        "schema.registry.url", "http://localhost:8081",
 *                                        "mesh.app", "sales-service"));
 *      Publisher<Order> orders = mesh.publisher(SalesProducts.ORDERS)) {
 *     orders.publish(order).get();
 * }
 * }</pre>
 */
public final class Mesh implements AutoCloseable {
    /** {@code require} (the default) or {@code apply}: see the class comment. */
    public static final String PROVISION = dev.mesh.sdk.internal.MeshClients.PROVISION;
    public static final String APP = "mesh.app";
    /**
     * This instance's name, the same after a restart and unique among the application's instances (a StatefulSet's pod
     * name, "finance-2"). When set, each group member it runs is static ({@code group.instance.id}): restarted after a
     * crash, it takes its predecessor's place and partitions at once instead of waiting for the dead member's session to
     * end, and the rest of the group is not rebalanced. Two live instances with one name fence each other out.
     */
    public static final String INSTANCE = "mesh.instance";
    /** What {@link #INSTANCE} may be: Kafka's characters for a group instance id, leaving room for a thread or topic after it. */
    public static final String INSTANCE_NAME = "[A-Za-z0-9._-]{1,200}";
    /** What a {@link #INSTANCE} that does not fit is told. */
    public static final String INSTANCE_EXPECTED = "a name of letters, digits, '.', '_' and '-' (at most 200), e.g. finance-2";
    public static final String REPLICATION_FACTOR = MeshClients.REPLICATION_FACTOR;
    private static final Set<String> NOT_FOR_KAFKA_PREFIXES = Set.of("mesh.", "schema.registry.", "basic.auth.", "openlineage.");
    private static final Set<String> NOT_FOR_KAFKA = Set.of("auto.register.schemas", "use.latest.version", "specific.avro.reader");

    private final MeshClients clients;
    private final Catalog catalog;
    private final dev.mesh.sdk.internal.openlineage.LineageEmitter lineage;

    private Mesh(Map<String, ?> config, MeterRegistry meters) {
        if (config.get("bootstrap.servers") == null) {
            throw new IllegalArgumentException("'bootstrap.servers' is not set: the mesh needs a Kafka cluster, e.g. localhost:9092");
        }
        Map<String, Object> k = new HashMap<>();
        config.forEach((name, value) -> {
            if (NOT_FOR_KAFKA.contains(name) || NOT_FOR_KAFKA_PREFIXES.stream().anyMatch(name::startsWith)) {
                return;
            }
            k.put(name, value);
        });
        Object instance = config.get(INSTANCE);
        if (instance != null && !String.valueOf(instance).isBlank() && !String.valueOf(instance).matches(INSTANCE_NAME)) {
            // here, naming the setting, rather than in the first consumer that would refuse it as a group instance id
            throw new IllegalArgumentException(INSTANCE + " is '" + instance + "': expected " + INSTANCE_EXPECTED);
        }
        String app = config.get(APP) == null ? "unnamed-app" : String.valueOf(config.get(APP));
        this.clients = new MeshClients(Map.copyOf(k), Map.copyOf(config), RegistryClient.create(config), Admin.create(k),
                meters, app);
        this.catalog = new Catalog(clients);
        this.lineage = dev.mesh.sdk.internal.openlineage.LineageEmitter.of(config, config.get("bootstrap.servers"));
    }

    public static Mesh connect(Map<String, ?> config) {
        return new Mesh(config, Metrics.globalRegistry);
    }

    /** With the application's meter registry, e.g. Micronaut's Prometheus one. */
    public static Mesh connect(Map<String, ?> config, MeterRegistry meters) {
        return new Mesh(config, meters);
    }

    /**
     * Opens a publisher of the product: validates, checks its topics exist ({@code mesh apply} creates them; see
     * {@code mesh.provision}), registers the schema and contract.
     */
    public <T> Publisher<T> publisher(Product<T> product) {
        return Publisher.open(this, product.contract(), product.type());
    }

    /** A typed consumer of the product under a consumer group; configure it and call {@code start()}. */
    public <T> Subscriber.Builder<T> subscriber(Product<T> product) {
        return Subscriber.builder(this, product.contract(), product.type());
    }

    /** A Kafka Streams app that reads products and derives {@code derived}; its application id is the product's. */
    public ProductStreams streams(Product<?> derived) {
        return new ProductStreams(this, derived);
    }

    /** The app that runs a derivation, built and not yet started. */
    public <T> org.apache.kafka.streams.KafkaStreams run(Derivation<T> derivation) {
        return prepare(derivation).build();
    }

    /**
     * A derivation's topology with its product written (contract registered, topics made), ready to
     * {@code build()}: a service sets properties first, e.g. the {@code application.server} it serves lookups at.
     */
    public <T> ProductStreams prepare(Derivation<T> derivation) {
        ProductStreams streams = streams(derivation.product());
        streams.to(derivation.derive(streams), derivation.product());
        return streams;
    }

    /** For the SDK's own classes. */
    MeshClients clients() {
        return clients;
    }

    /** OpenLineage runs of this application's publishers and Streams apps (off without {@code openlineage.transport.type}). */
    dev.mesh.sdk.internal.openlineage.LineageEmitter lineage() {
        return lineage;
    }

    public Catalog catalog() {
        return catalog;
    }

    public RegistryClient registry() {
        return clients.registry();
    }

    public Admin admin() {
        return clients.admin();
    }

    public MeterRegistry meters() {
        return clients.meters();
    }

    /** Kafka client properties as given, without the mesh's and the registry's own. */
    public Map<String, Object> kafkaProperties() {
        return clients.kafka();
    }

    /** Every property as given, registry settings included (for serdes). */
    public Map<String, Object> config() {
        return clients.config();
    }

    /** The time the mesh goes by (sunsets): the clock, or {@code mesh.clock=fixed:<instant>} in tests. */
    public java.time.Instant now() {
        return clients.now();
    }

    public String app() {
        return clients.app();
    }

    /** {@link #INSTANCE}, when set. */
    public java.util.Optional<String> instance() {
        return java.util.Optional.ofNullable(config().get(INSTANCE)).map(String::valueOf).filter(i -> !i.isBlank());
    }

    public short replicationFactor() {
        return clients.replicationFactor();
    }

    @Override
    public void close() {
        clients.admin().close(Duration.ofSeconds(5));
        catalog.close();
        lineage.close();
    }
}
