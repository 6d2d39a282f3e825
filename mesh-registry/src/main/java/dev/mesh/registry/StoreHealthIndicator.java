package dev.mesh.registry;

import io.micronaut.context.annotation.Requires;
import dev.mesh.registry.leader.Leader;
import dev.mesh.registry.leader.LeaderElection;
import dev.mesh.registry.store.RegistryState;
import dev.mesh.registry.store.SchemaLog;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** /health: is Kafka reachable, has the in-memory store caught up with the {@code _schemas} log, and who leads. */
@Requires(env = RegistryApplication.ENV)
@Singleton
final class StoreHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {
    private final SchemaLog<RegistryState> log;
    private final LeaderElection election;

    StoreHealthIndicator(SchemaLog<RegistryState> log, LeaderElection election) {
        this.log = log;
        this.election = election;
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
            details.put("role", election.isLeader() ? "leader" : "follower");
            details.put("leader", election.leader().map(Leader::url).orElse("none elected"));
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
