package dev.mesh.sdk.internal.serde;

import dev.mesh.sdk.registry.RegistryClient;
import dev.mesh.sdk.registry.RegistryClientConfig;
import dev.mesh.sdk.encryption.DataKeys;
import dev.mesh.sdk.encryption.EncryptRule;
import dev.mesh.sdk.encryption.FieldEncryption;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Kafka deserializer of Confluent-framed Avro. The writer's schema comes from the registry by the id in the
 * frame (once per id), and is resolved to the reader's schema, so data written with an older compatible schema is
 * read by newer code. Reader schema: the given one or class; else, with {@code specific.avro.reader=true}, the
 * generated class named like the writer's schema; else the writer's own (generic records).
 */
public class AvroDeserializer<T> implements Deserializer<T> {
    private static final ThreadLocal<BinaryDecoder[]> DECODERS = ThreadLocal.withInitial(() -> new BinaryDecoder[1]);

    private RegistryClient registry;
    private Schema readerSchema;
    private GenericData model;
    private boolean specific;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();
    /** Per writer schema id: how its encrypted fields are decrypted for a product's topic (empty: it has none). */
    private final Map<Integer, Decryption> decryption = new ConcurrentHashMap<>();
    private DataKeys keys;
    private volatile String refusal;

    public AvroDeserializer() {
    }

    /** Reads into generated class {@code type} (or generic records when {@code type} is GenericRecord). */
    public AvroDeserializer(RegistryClient registry, Class<T> type) {
        this.registry = registry;
        this.keys = DataKeys.of(registry, Map.of(), java.time.Instant::now);
        this.model = AvroModels.forClass(type);
        this.readerSchema = model instanceof SpecificData specificData && type != org.apache.avro.generic.GenericRecord.class
                ? specificData.getSchema(type) : null;
    }

    /** Reads generic records resolved to {@code readerSchema}. */
    public AvroDeserializer(RegistryClient registry, Schema readerSchema) {
        this.registry = registry;
        this.keys = DataKeys.of(registry, Map.of(), java.time.Instant::now);
        this.model = AvroModels.generic();
        this.readerSchema = readerSchema;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = RegistryClient.create(configs);
        }
        if (keys == null) {
            keys = DataKeys.of(registry, configs, java.time.Instant::now);
        }
        if (model == null) {
            specific = Boolean.parseBoolean(String.valueOf(configs.get(RegistryClientConfig.SPECIFIC_READER)));
            model = specific ? SpecificData.get() : AvroModels.generic();
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return deserialize(topic, data, topic);
    }

    /**
     * Reads a record of {@code product}'s topic found in {@code topic} (its dead letters are in another topic): the
     * product's data keys decrypt its encrypted fields.
     */
    public T deserialize(String topic, byte[] data, String product) {
        if (data == null) {
            return null;
        }
        int id = WireFormat.schemaId(data);
        DatumReader<T> reader = readers.get(id);
        if (reader == null) {
            reader = readers.computeIfAbsent(id, this::readerFor);
        }
        BinaryDecoder[] slot = DECODERS.get();
        slot[0] = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, slot[0]);
        T value;
        try {
            value = reader.read(null, slot[0]);
            if (!slot[0].isEnd()) {
                // a record is its bytes exactly: more after it means the bytes are not what the id says
                throw new SerializationException("bytes left after the record");
            }
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode a record of topic " + topic + " written with schema id "
                    + id + ": " + e.getMessage(), e);
        }
        if (value instanceof IndexedRecord record) {
            Decryption fields = decryption.get(id);
            if (fields == null || !fields.product.equals(product)) {
                fields = new Decryption(product, decryptionFor(id, record.getSchema(), dev.mesh.sdk.contract.Naming.valueSubject(product)));
                decryption.put(id, fields);
            }
            if (fields.encryption.isPresent()) {
                String refused = fields.encryption.get().decrypt(record);
                if (refused != null) {
                    refusal = refused;
                }
            }
        }
        return value;
    }

    private record Decryption(String product, java.util.Optional<FieldEncryption> encryption) {
    }

    /** Why the last encrypted field this deserializer met was shown as {@value FieldEncryption#MASK}, or null. */
    public String refusal() {
        return refusal;
    }

    private java.util.Optional<FieldEncryption> decryptionFor(int id, Schema read, String subject) {
        java.util.Optional<EncryptRule> rule;
        try {
            rule = EncryptRule.of(registry.byId(id).ruleSet());
        } catch (IllegalArgumentException e) {
            throw new SerializationException("schema id " + id + " has an ENCRYPT rule this reader cannot follow: " + e.getMessage(), e);
        }
        // the fields are found in the schema read into: tags travel in it as in the writer's
        return rule.flatMap(r -> FieldEncryption.of(read, r, subject, keys));
    }

    @SuppressWarnings("unchecked")
    private DatumReader<T> readerFor(int id) {
        if (registry == null || model == null) {
            throw new SerializationException("deserializer not configured: set " + RegistryClientConfig.URL);
        }
        Schema writer;
        try {
            writer = registry.schemaById(id);
        } catch (RuntimeException e) {
            throw new SerializationException("unknown schema id " + id + ": " + e.getMessage(), e);
        }
        Schema reader = readerSchema;
        GenericData readerModel = model;
        if (reader == null && specific) {
            Class<?> generated = SpecificData.get().getClass(writer);
            if (generated != null) {
                readerModel = SpecificData.getForClass(generated);
                reader = ((SpecificData) readerModel).getSchema(generated);
            }
        }
        return (DatumReader<T>) readerModel.createDatumReader(writer, reader == null ? writer : reader);
    }
}
