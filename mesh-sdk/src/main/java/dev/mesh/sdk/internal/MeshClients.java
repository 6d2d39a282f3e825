package dev.mesh.sdk.internal;

import dev.mesh.sdk.kafka.Topics;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.registry.RegistryClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What one application's mesh shares with the SDK's insides: its settings, registry client, Kafka admin and
 * meters. {@code Mesh} creates it and closes the admin; internals take this instead of the entry point, so they
 * never depend on the API built on them.
 *
 * @param kafka  Kafka client properties as given, without the mesh's and the registry's own
 * @param config every property as given, registry settings included (for serdes)
 */
public record MeshClients(Map<String, Object> kafka, Map<String, Object> config, RegistryClient registry, Admin admin,
                          MeterRegistry meters, String app) {
    public static final String REPLICATION_FACTOR = "mesh.replication.factor";
    /**
     * {@code require} (the default): a product's topics must exist before a publisher, subscriber or Streams app opens
     * it ({@code mesh apply}); {@code apply}: the program creates its own product's topics from the contract, as a
     * development convenience like Kafka's {@code auto.create.topics.enable}.
     */
    public static final String PROVISION = "mesh.provision";
    /** {@code fixed:<instant>}: the time the SDK goes by (sunsets), for tests; else the system clock. */
    public static final String CLOCK = "mesh.clock";

    public java.time.Instant now() {
        Object clock = config.get(CLOCK);
        if (clock != null && clock.toString().startsWith("fixed:")) {
            return java.time.Instant.parse(clock.toString().substring("fixed:".length()));
        }
        return java.time.Instant.now();
    }

    /** The clock {@link #now()} reads, resolved once: for checks made per record. */
    public java.util.function.Supplier<java.time.Instant> clock() {
        Object clock = config.get(CLOCK);
        if (clock != null && clock.toString().startsWith("fixed:")) {
            java.time.Instant fixed = now();
            return () -> fixed;
        }
        return java.time.Instant::now;
    }

    /** Refuses what a product's sunset forbids: {@code what} names it, e.g. "publish to". */
    public void requireBeforeSunset(dev.mesh.sdk.contract.ProductContract contract, String what) {
        contract.deprecated().filter(d -> d.isPast(now())).ifPresent(d -> {
            throw new MeshException("cannot " + what + " " + contract.topicName() + ": it is past its sunset (" + d.sunset()
                    + "); its successor is " + d.successor());
        });
    }

    /**
     * Refuses a new reader (consumer group or Streams app {@code group}) of a product past its sunset; one that has
     * committed offsets on it from before goes on.
     */
    public void requireReaderBeforeSunset(dev.mesh.sdk.contract.ProductContract contract, String group, String what) {
        if (contract.deprecated().filter(d -> d.isPast(now())).isPresent() && !hasRead(group, contract.topicName())) {
            requireBeforeSunset(contract, what);
        }
    }

    private boolean hasRead(String group, String topic) {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .keySet().stream().anyMatch(tp -> tp.topic().equals(topic));
        } catch (Exception e) {
            return false;
        }
    }

    /** Whether this program creates the topics of the products it opens ({@link #PROVISION}{@code =apply}). */
    public boolean provisionsItself() {
        Object mode = config.getOrDefault(PROVISION, "require");
        return switch (mode.toString().trim()) {
            case "apply" -> true;
            case "require" -> false;
            default -> throw new MeshException(PROVISION + " is '" + mode + "': it is require (the default) or apply");
        };
    }

    /** For topics the SDK creates: {@code mesh.replication.factor}, else min(3, brokers). */
    public short replicationFactor() {
        Object configured = config.get(REPLICATION_FACTOR);
        if (configured != null) {
            return Short.parseShort(configured.toString());
        }
        try {
            int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
            return Topics.replicationFactor(brokers);
        } catch (Exception e) {
            throw new MeshException("cannot reach Kafka at " + kafka.get("bootstrap.servers") + ": " + e.getMessage(), e);
        }
    }
}
