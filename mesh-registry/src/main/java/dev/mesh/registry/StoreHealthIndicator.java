package dev.mesh.registry;

import io.micronaut.context.annotation.Requires;
import dev.mesh.registry.store.SchemaLog;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** /health: is Kafka reachable, and has the in-memory store caught up with the {@code _schemas} log. */
@Requires(env = RegistryApplication.ENV)
@Singleton
final class StoreHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {
    private final SchemaLog log;

    StoreHealthIndicator(SchemaLog log) {
        this.log = log;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("topic", log.topic());
        try {
            String clusterId = log.admin().describeCluster().clusterId().get(5, TimeUnit.SECONDS);
            long end = log.endOffset();
            long position = log.position();
            details.put("kafka", "reachable");
            details.put("clusterId", clusterId);
            details.put("position", position);
            details.put("endOffset", end);
            details.put("caughtUp", position >= end);
            details.put("readerAlive", log.readerAlive());
            healthStatus = log.readerAlive() && position >= end ? HealthStatus.UP : HealthStatus.DOWN;
        } catch (Exception e) {
            details.put("kafka", "unreachable: " + e.getMessage());
            healthStatus = HealthStatus.DOWN;
        }
        return details;
    }

    @Override
    protected String getName() {
        return "schemaStore";
    }
}
