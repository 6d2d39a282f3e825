package dev.mesh.service;

import io.micronaut.context.annotation.Requires;
import dev.mesh.sdk.Mesh;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** /health: Kafka reachable, registry reachable, and the state of each Streams app of the service. */
@Requires(env = DomainService.ENV)
@Singleton
final class MeshHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {
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
        Map<String, String> apps = new LinkedHashMap<>();
        for (var app : streams.states().entrySet()) {
            apps.put(app.getKey(), app.getValue().name());
            if (app.getValue() == KafkaStreams.State.ERROR || app.getValue() == KafkaStreams.State.NOT_RUNNING
                    || app.getValue() == KafkaStreams.State.PENDING_ERROR) {
                up = false;
            }
        }
        details.put("streams", apps);
        healthStatus = up ? HealthStatus.UP : HealthStatus.DOWN;
        return details;
    }

    @Override
    protected String getName() {
        return "mesh";
    }
}
