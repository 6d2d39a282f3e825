package dev.mesh.sdk.internal.serde;

import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.registry.RegistryClient;
import dev.mesh.sdk.registry.RegistryClientConfig;
import dev.mesh.sdk.registry.SchemaRequest;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Kafka serializer of Avro values (generic or specific) in Confluent's wire format, configured with
 * Confluent's property names ({@code schema.registry.url}, {@code auto.register.schemas},
 * {@code use.latest.version}), subject by TopicNameStrategy. The schema id of a (topic, schema) pair is resolved
 * once; after that, serializing touches no registry and looks nothing up by string.
 */
public class AvroSerializer<T> implements Serializer<T> {
    private RegistryClient registry;
    private boolean autoRegister = true;
    private boolean useLatest;
    private boolean isKey;
    private final Map<Schema, Map<String, AvroEncoder<T>>> encoders = new ConcurrentHashMap<>();
    private volatile Last<T> last;

    private record Last<T>(String topic, Schema schema, AvroEncoder<T> encoder) {
    }

    public AvroSerializer() {
    }

    public AvroSerializer(RegistryClient registry) {
        this(registry, registry.config().autoRegisterSchemas(), registry.config().useLatestVersion());
    }

    /** {@code autoRegister=false}: only look the schema up, as a consumer of someone else's product must. */
    public AvroSerializer(RegistryClient registry, boolean autoRegister, boolean useLatest) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.useLatest = useLatest;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (registry == null) {
            RegistryClientConfig config = RegistryClientConfig.from(configs);
            registry = new RegistryClient(config);
            autoRegister = config.autoRegisterSchemas();
            useLatest = config.useLatestVersion();
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (!(data instanceof GenericContainer container)) {
            throw new SerializationException("cannot serialize " + data.getClass().getName()
                    + " for topic " + topic + ": not an Avro record (GenericRecord or generated class)");
        }
        Schema schema = container.getSchema();
        Last<T> hit = last;
        if (hit != null && hit.schema == schema && hit.topic == topic) {
            return hit.encoder.encode(data);
        }
        AvroEncoder<T> encoder = encoders.computeIfAbsent(schema, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(topic, t -> new AvroEncoder<>(schema, schemaId(t, schema), AvroModels.forClass(data.getClass())));
        last = new Last<>(topic, schema, encoder);
        return encoder.encode(data);
    }

    private int schemaId(String topic, Schema schema) {
        if (registry == null) {
            throw new SerializationException("serializer not configured: set " + RegistryClientConfig.URL);
        }
        String subject = isKey ? topic + "-key" : Naming.valueSubject(topic);
        try {
            if (useLatest) {
                return registry.latest(subject).id();
            }
            SchemaRequest request = SchemaRequest.avro(schema.toString());
            if (autoRegister) {
                return registry.register(subject, request);
            }
            var found = registry.lookup(subject, request);
            if (found.isPresent()) {
                return found.get().id();
            }
            // A generated class carries code-generation properties (avro.java.string) its contract's schema text
            // lacks; the latest version is still the same schema if it encodes identically.
            var latest = registry.latest(subject);
            Schema registered = registry.schemaById(latest.id());
            if (SchemaNormalization.parsingFingerprint64(registered) == SchemaNormalization.parsingFingerprint64(schema)) {
                return latest.id();
            }
            throw new SerializationException("schema " + schema.getFullName() + " is not registered under " + subject
                    + " (nor is it the latest version's schema) and auto.register.schemas is false");
        } catch (RuntimeException e) {
            throw new SerializationException("cannot resolve the schema id of " + schema.getFullName() + " for "
                    + subject + ": " + e.getMessage(), e);
        }
    }
}
