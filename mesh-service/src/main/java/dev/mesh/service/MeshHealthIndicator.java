package dev.mesh.service;

import io.micronaut.context.annotation.Requires;
import dev.mesh.sdk.Mesh;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** /health: Kafka reachable, registry reachable, and each Streams app of the service running and not failing. */
@Requires(env = DomainService.ENV)
@Singleton
final class MeshHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {
    /** Operational (HTTP 200), but said: a product of the domain holds records its readers refuse. */
    static final HealthStatus DEGRADED = new HealthStatus(AppHealth.DEGRADED, "a product of the domain holds records its readers refuse", true, 500);
    private final Mesh mesh;
    private final StreamsApps streams;

    MeshHealthIndicator(Mesh mesh, StreamsApps streams) {
        this.mesh = mesh;
        this.streams = streams;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean up = true;
        try {
            String cluster = mesh.admin().describeCluster().clusterId().get(5, TimeUnit.SECONDS);
            details.put("kafka", Map.of("status", "UP", "clusterId", cluster));
        } catch (Exception e) {
            details.put("kafka", Map.of("status", "DOWN", "error", String.valueOf(e.getMessage())));
            up = false;
        }
        try {
            mesh.registry().subjects();
            details.put("registry", Map.of("status", "UP", "url", mesh.registry().config().urls()));
        } catch (Exception e) {
            details.put("registry", Map.of("status", "DOWN", "error", String.valueOf(e.getMessage())));
            up = false;
        }
        // DOWN (503) while an app is not running, or has failed within the last minute: a derived product that
        // stopped moving must not look healthy
        details.put("streams", streams.health());
        up &= streams.healthy();
        // DEGRADED (still serving) while an app has lately dead-lettered records its own domain wrote: a product of
        // the domain holds records it should not, which no other check would show
        Map<String, String> integrity = streams.integrityProblems();
        if (!integrity.isEmpty()) {
            details.put("integrity", integrity);
        }
        healthStatus = !up ? HealthStatus.DOWN : integrity.isEmpty() ? HealthStatus.UP : DEGRADED;
        return details;
    }

    @Override
    protected String getName() {
        return "mesh";
    }
}
