package dev.mesh.catalog.slo;

import dev.mesh.catalog.CatalogApplication;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.kafka.FollowedTopics;
import dev.mesh.sdk.kafka.JsonTopic;
import dev.mesh.sdk.ops.MeshOps;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code _mesh.slo} and {@code _mesh.alerts} as followed since the catalog started (committed records only: the
 * evaluator writes a reading and its alert in one transaction): the last {@value #READINGS} readings of every
 * objective and the last {@value #ALERTS} alerts of every product.
 */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class SloHistory implements AutoCloseable {
    static final int READINGS = 360;
    static final int ALERTS = 50;

    private final FollowedTopics<Map<String, List<SloReading>>> readings;
    private final FollowedTopics<Map<String, List<SloAlert>>> alerts;

    SloHistory(MeshOps ops) {
        Map<String, Object> kafka = new HashMap<>(ops.mesh().kafkaProperties());
        kafka.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.readings = FollowedTopics.topic(kafka, Naming.SLO_TOPIC, () -> new Last<>(SloReading.class, SloReading::key, READINGS));
        this.alerts = FollowedTopics.topic(kafka, Naming.ALERTS_TOPIC, () -> new Last<>(SloAlert.class, SloAlert::topic, ALERTS));
    }

    /** Every objective's readings, oldest first, by {@code <topic>/<slo>}. */
    public Map<String, List<SloReading>> readings() {
        return readings.current();
    }

    /** Every product's alerts, oldest first, by topic. */
    public Map<String, List<SloAlert>> alerts() {
        return alerts.current();
    }

    /** The last {@code keep} records of each key; a record that is not one (only the catalog writes these) is skipped. */
    private static final class Last<T> implements FollowedTopics.Fold<Map<String, List<T>>> {
        private final Class<T> type;
        private final Function<T, String> key;
        private final int keep;
        private final Map<String, ArrayDeque<T>> last = new HashMap<>();

        Last(Class<T> type, Function<T, String> key, int keep) {
            this.type = type;
            this.key = key;
            this.keep = keep;
        }

        @Override
        public void apply(ConsumerRecord<String, String> record) {
            if (record.value() == null) {
                return;
            }
            try {
                T value = JsonTopic.JSON.readValue(record.value(), type);
                ArrayDeque<T> kept = last.computeIfAbsent(key.apply(value), k -> new ArrayDeque<>());
                kept.addLast(value);
                if (kept.size() > keep) {
                    kept.removeFirst();
                }
            } catch (Exception e) {
                // not ours to show
            }
        }

        @Override
        public Map<String, List<T>> state() {
            Map<String, List<T>> copy = new HashMap<>();
            last.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return Map.copyOf(copy);
        }
    }

    @Override
    @PreDestroy
    public void close() {
        readings.close();
        alerts.close();
    }
}
