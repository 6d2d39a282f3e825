package dev.mesh.registry;

import io.micronaut.context.annotation.Requires;
import dev.mesh.registry.core.SchemaRegistryService;
import dev.mesh.registry.store.RegistryState;
import dev.mesh.registry.store.SchemaLog;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Wires the store and the service. Every {@code kafka.*} property (e.g. env {@code KAFKA_BOOTSTRAP_SERVERS},
 * {@code KAFKA_SECURITY_PROTOCOL}) is passed to the Kafka clients untouched.
 */
@Requires(env = RegistryApplication.ENV)
@Factory
final class RegistryFactory {

    @Singleton
    RegistryState state() {
        return new RegistryState();
    }

    @Context
    @Bean(preDestroy = "close")
    SchemaLog schemaLog(Environment env, RegistryState state,
                        @Value("${registry.topic:_schemas}") String topic,
                        @Value("${registry.timeout:30s}") Duration timeout) {
        Map<String, Object> kafka = new HashMap<>(env.getProperties("kafka", StringConvention.RAW));
        kafka.putIfAbsent("bootstrap.servers", "localhost:9092");
        // One transactional id per store topic, shared by every instance: that is what fences a second writer.
        String writerId = env.getProperty("registry.writer-id", String.class).orElse("mesh-registry-writer-" + topic);
        return new SchemaLog(kafka, topic, writerId, timeout, state).start();
    }

    @Singleton
    SchemaRegistryService service(RegistryState state, SchemaLog log,
                                  @Value("${registry.max-schema-chars:1048576}") int maxSchemaChars) {
        return new SchemaRegistryService(state, log, maxSchemaChars);
    }
}
