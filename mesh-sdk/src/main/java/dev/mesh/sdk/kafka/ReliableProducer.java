package dev.mesh.sdk.kafka;

import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashMap;
import java.util.Map;

/**
 * The settings of every producer the mesh writes with (publishers, dead letters, the catalog, redrive, the
 * registry's log): acknowledged by all in-sync replicas and idempotent, so a retry neither loses nor duplicates
 * a record. A setting the application gives explicitly wins.
 */
public final class ReliableProducer {
    private ReliableProducer() {
    }

    /** The given Kafka properties with the mesh's producer settings added. */
    public static Map<String, Object> settings(Map<String, Object> kafka) {
        Map<String, Object> p = new HashMap<>(kafka);
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return p;
    }
}
