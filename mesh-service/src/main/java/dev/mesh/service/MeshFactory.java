package dev.mesh.service;

import io.micronaut.context.annotation.Requires;
import dev.mesh.sdk.Mesh;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The service's {@link Mesh}, configured the Micronaut way: every {@code kafka.*} property (env
 * {@code KAFKA_BOOTSTRAP_SERVERS}, {@code KAFKA_SECURITY_PROTOCOL}, ...) goes to the Kafka clients untouched,
 * {@code schema.registry.*} and {@code basic.auth.*} to the registry client (env {@code SCHEMA_REGISTRY_URL}), the
 * mesh's own settings from {@link MeshSettings}; the app's name in the catalog is {@code micronaut.application.name}.
 */
@Requires(env = DomainService.ENV)
@Factory
public final class MeshFactory {

    @Singleton
    @Bean(preDestroy = "close")
    Mesh mesh(Environment env, MeshSettings settings, MeterRegistry meters) {
        return Mesh.connect(meshConfig(env, settings), meters);
    }

    /**
     * The SDK's configuration from a Micronaut environment and the service's {@link MeshSettings} (checked here: a
     * value that does not fit stops the service naming its key); other apps on the mesh (the catalog) build theirs
     * the same way.
     */
    public static Map<String, Object> meshConfig(Environment env, MeshSettings settings) {
        Map<String, Object> config = new HashMap<>(env.getProperties("kafka", StringConvention.RAW));
        env.getProperties("schema.registry", StringConvention.RAW).forEach((k, v) -> config.put("schema.registry." + k, v));
        env.getProperties("basic.auth", StringConvention.RAW).forEach((k, v) -> config.put("basic.auth." + k, v));
        config.putAll(settings.toSdk());
        // OpenLineage's own names (openlineage.transport.type, .url, .endpoint, .headers.*, ...), read by its client
        env.getProperties("openlineage", StringConvention.RAW).forEach((k, v) -> {
            if (!(v instanceof Map)) {
                config.put("openlineage." + k, v);
            }
        });
        // named here too, so OPENLINEAGE_TRANSPORT_TYPE and the like resolve (Micronaut does not list variables under a prefix)
        for (String key : List.of("openlineage.transport.type", "openlineage.transport.url", "openlineage.transport.endpoint",
                "openlineage.job.namespace", "openlineage.trackingIntervalInSeconds")) {
            env.getProperty(key, String.class).ifPresent(v -> config.putIfAbsent(key, v));
        }
        // Streams settings, e.g. mesh.streams.state.dir: Kafka's own names, so they pass through untouched.
        env.getProperties("mesh.streams", StringConvention.RAW).forEach((k, v) -> config.put("mesh.streams." + k, v));
        streamsFromEnv(System.getenv()).forEach(config::putIfAbsent);
        config.putIfAbsent("bootstrap.servers", "localhost:9092");
        config.putIfAbsent("schema.registry.url", "http://localhost:8081");
        config.putIfAbsent(Mesh.APP, env.getProperty("micronaut.application.name", String.class).orElse("mesh-service"));
        return config;
    }

    /**
     * Streams settings from env vars, {@code MESH_STREAMS_STATE_DIR} to {@code mesh.streams.state.dir} (Streams' names
     * are dotted lower case, so the mapping is exact). Micronaut resolves such a variable when asked for the one name,
     * but does not list it among the properties under {@code mesh.streams}; a property set otherwise wins.
     */
    static Map<String, String> streamsFromEnv(Map<String, String> env) {
        String prefix = "MESH_STREAMS_";
        Map<String, String> settings = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                settings.put("mesh.streams." + name.substring(prefix.length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.'), value);
            }
        });
        return settings;
    }
}
