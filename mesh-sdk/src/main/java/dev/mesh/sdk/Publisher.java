package dev.mesh.sdk;

import dev.mesh.sdk.kafka.ReliableProducer;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.errors.RuleViolationException;
import dev.mesh.sdk.internal.publish.DeadLetters;
import dev.mesh.sdk.internal.publish.ProductRegistration;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.QualityRule;
import dev.mesh.sdk.internal.quality.CompiledRules;
import dev.mesh.sdk.internal.quality.ContractBounds;
import dev.mesh.sdk.internal.quality.RuleFailure;
import dev.mesh.sdk.internal.serde.AvroEncoder;
import dev.mesh.sdk.internal.serde.AvroModels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Publishes records of one product under its contract. Opening it creates the product's topics, registers the
 * schema with the contract (refusing an incompatible schema with the registry's reasons) and announces the
 * product in the catalog. Every record is checked against the contract's quality rules before it is sent: a
 * record that fails goes to the product's DLQ with its bytes and {@code __rule.*} headers, or is refused, as the
 * rule says; its future fails with {@link RuleViolationException}. A record larger than the topic accepts is refused
 * before it is sent ({@link RecordTooLargeException} naming the limit). Nothing is dropped silently.
 */
public final class Publisher<T> implements AutoCloseable {
    private final ProductContract contract;
    private final Class<T> type;
    private final String topic;
    private final int keyPosition;
    /** Event time, decimals, dates and limits as the contract bounds them. */
    private final ContractBounds bounds;
    /** The largest record the topic and this producer accept, so a larger one is refused before it is sent. */
    private final int maxRecordBytes;
    private final AvroEncoder<T> encoder;
    private final GenericData model;
    /** PII-tagged fields encrypted in the topic (after the quality rules ran on the clear record); null without PII. */
    private final dev.mesh.sdk.encryption.FieldEncryption encryption;
    private final CompiledRules rules;
    private final KafkaProducer<String, byte[]> producer;
    private final Counter published;
    /** The producer's own metrics (send rate, queue time, request latency, errors), on the mesh's registry. */
    private final KafkaClientMetrics producerMetrics;
    private final Mesh mesh;
    private final Map<String, Counter> rejectedByRule = new ConcurrentHashMap<>();
    private final dev.mesh.sdk.internal.openlineage.LineageRun lineage;
    private final Map<String, Counter> deadLetteredByRule = new ConcurrentHashMap<>();

    private Publisher(Mesh mesh, ProductContract contract, Class<T> type, int schemaId) {
        this.type = type;
        this.mesh = mesh;
        this.contract = contract;
        this.topic = contract.topicName();
        Schema writerSchema = writerSchema(contract, type);
        GenericData model = AvroModels.forClass(type);
        this.encoder = new AvroEncoder<>(writerSchema, schemaId, model);
        this.model = model;
        this.encryption = dev.mesh.sdk.encryption.EncryptRule.forContract(contract).flatMap(rule ->
                dev.mesh.sdk.encryption.FieldEncryption.of(writerSchema, rule, contract.subject(),
                        dev.mesh.sdk.encryption.DataKeys.of(mesh.registry(), mesh.clients().config(), mesh.clients().clock())))
                .orElse(null);
        this.keyPosition = contract.schema().getField(contract.keyField()).pos();
        this.bounds = ContractBounds.of(contract);
        this.rules = CompiledRules.compile(contract.schema(), contract.quality());
        Map<String, Object> p = ReliableProducer.settings(mesh.kafkaProperties());
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, mesh.app() + "-" + topic);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.maxRecordBytes = maxRecordBytes(mesh, topic, p);
        String product = contract.product().toString();
        this.published = Counter.builder("mesh.publisher.published").tag("product", product)
                .description("records published to the product topic").register(mesh.meters());
        // Kafka's own latency metrics instead of a timer per record: timing every record on the producer's I/O thread
        // cost a tenth of that thread's time at full rate (JFR, PublisherThroughput)
        this.producerMetrics = new KafkaClientMetrics(producer, Tags.of("product", product));
        producerMetrics.bindTo(mesh.meters());
        this.lineage = mesh.lineage().publisher(mesh.app(), contract, schemaId, this::failuresByRule);
        lineage.start();
    }

    /** Records refused or dead-lettered per rule since the publisher opened. */
    private Map<String, Long> failuresByRule() {
        Map<String, Long> failures = new java.util.HashMap<>();
        rejectedByRule.forEach((rule, counter) -> failures.put(rule, (long) counter.count()));
        return failures;
    }

    public static <T> Publisher<T> open(Mesh mesh, ProductContract contract, Class<T> type) {
        if (!GenericContainer.class.isAssignableFrom(type)) {
            throw new MeshException("cannot publish " + type.getName() + " as " + contract.product()
                    + ": records must be Avro (a generated class or GenericRecord)");
        }
        writerSchema(contract, type);
        mesh.clients().requireBeforeSunset(contract, "publish to");
        int schemaId = ProductRegistration.register(mesh.clients(), contract);
        Publisher<T> publisher = new Publisher<>(mesh, contract, type, schemaId);
        mesh.catalog().publishProduct(ProductEntry.of(contract, schemaId, mesh.app(), null));
        return publisher;
    }

    /** A generated class must be generated from the contract's schema, or its bytes would lie about their id. */
    private static Schema writerSchema(ProductContract contract, Class<?> type) {
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            return contract.schema();
        }
        Schema classSchema = SpecificData.getForClass(type).getSchema(type);
        if (SchemaNormalization.parsingFingerprint64(classSchema) != SchemaNormalization.parsingFingerprint64(contract.schema())) {
            throw new MeshException(type.getName() + " was not generated from " + contract.origin()
                    + "'s schema; regenerate it (the contract's schema and the class differ)");
        }
        return classSchema;
    }

    public ProductContract contract() {
        return contract;
    }

    /** The class records are published as: the schema's generated class or GenericRecord. */
    public Class<T> type() {
        return type;
    }

    public int schemaId() {
        return encoder.schemaId();
    }

    /**
     * Checks the record against the contract and sends it, keyed by the contract's key field.
     *
     * @return completes with where the record landed, or fails: {@link RuleViolationException} for a broken rule,
     *         the Kafka error otherwise
     */
    public CompletableFuture<PublishResult> publish(T record) {
        CompletableFuture<PublishResult> result = new CompletableFuture<>();
        publish(record, (landed, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(landed);
            }
        });
        return result;
    }

    /**
     * As {@link #publish(Object)}, for publishers that send many records and only want to hear of each outcome: no
     * future per record. Like Kafka's {@code send(record, callback)}, the callback runs on the producer's I/O thread
     * (so it must be quick), or on the calling thread when the record is refused before it is sent.
     */
    public void publish(T record, Callback callback) {
        publish(record, Map.of(), callback);
    }

    /** As {@link #publish(Object)}, with record headers (e.g. where the record comes from). */
    public CompletableFuture<PublishResult> publish(T record, Map<String, String> headers) {
        CompletableFuture<PublishResult> result = new CompletableFuture<>();
        publish(record, headers, (landed, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(landed);
            }
        });
        return result;
    }

    /** As {@link #publish(Object, Callback)}, with record headers. */
    public void publish(T record, Map<String, String> headers, Callback callback) {
        IndexedRecord indexed = (IndexedRecord) record;
        Object keyValue = indexed.get(keyPosition);
        if (keyValue == null) {
            callback.onCompletion(null, new MeshException("record of " + contract.product() + " has no key: field '"
                    + contract.keyField() + "' is null"));
            return;
        }
        String key = keyValue.toString();
        // checked before encoding: Avro writes some values its schema cannot hold (a date past its int days) wrapped
        RuleFailure failure = firstFailure(indexed);
        byte[] value;
        try {
            value = encoder.encode(encryption == null ? record : encryption.encrypt(record, model));
        } catch (RuntimeException e) {
            callback.onCompletion(null, new MeshException("cannot encode record " + key + " of " + contract.product()
                    + ": " + (failure != null ? failure.rule().name() + ": " + failure.reason() : e.getMessage()), e));
            return;
        }
        int size = value.length + key.length() * 3 + RECORD_OVERHEAD;
        if (size > maxRecordBytes) {
            callback.onCompletion(null, new RecordTooLargeException("record " + key + " of " + contract.product()
                    + " is about " + size + " bytes; " + topic + " accepts at most " + maxRecordBytes));
            return;
        }
        if (failure != null) {
            reject(failure, key, value, callback);
            return;
        }
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, text) -> out.headers().add(name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        producer.send(out, (md, error) -> {
            if (error != null) {
                callback.onCompletion(null, error);
                return;
            }
            published.increment();
            callback.onCompletion(new PublishResult(md.topic(), md.partition(), md.offset(), md.timestamp()), null);
        });
    }

    /** Told of one published record's outcome: where it landed, or why it was not published (never both). */
    @FunctionalInterface
    public interface Callback {
        void onCompletion(PublishResult result, Exception error);
    }

    /** The first rule of the contract (or its event-time bounds) the record breaks, without publishing it. */
    public Optional<String> brokenRule(T record) {
        RuleFailure failure = firstFailure((IndexedRecord) record);
        return failure == null ? Optional.empty() : Optional.of(failure.rule().name() + ": " + failure.reason());
    }

    /** The contract's bounds (event time, decimals, dates, limits), then its quality rules: the first the record breaks, or null. */
    private RuleFailure firstFailure(IndexedRecord record) {
        RuleFailure failure = bounds.check(record, java.time.Instant.now());
        return failure != null ? failure : rules.check(record);
    }

    /** Room for a record's framing and headers in a batch, on top of its key and value. */
    private static final int RECORD_OVERHEAD = 128;

    /** The topic's {@code max.message.bytes} or the producer's {@code max.request.size}, whichever is smaller. */
    private static int maxRecordBytes(Mesh mesh, String topic, Map<String, Object> producer) {
        int request = Integer.parseInt(String.valueOf(producer.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576)));
        try {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            var entry = mesh.admin().describeConfigs(java.util.List.of(resource)).all().get(30, TimeUnit.SECONDS)
                    .get(resource).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            return entry == null ? request : Math.min(request, Integer.parseInt(entry.value()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return request;
        } catch (Exception e) {
            // not allowed to read the topic's settings: the broker still refuses what is too large
            return request;
        }
    }

    /** The rule name dead letters and metrics carry for a record outside the contract's eventTime bounds. */
    public static final QualityRule EVENT_TIME_RULE = ContractBounds.EVENT_TIME;

    private void reject(RuleFailure failure, String key, byte[] value, Callback callback) {
        QualityRule rule = failure.rule();
        counter(rejectedByRule, "mesh.publisher.rejected", rule.name()).increment();
        String product = contract.product().toString();
        if (rule.onFailure() != QualityRule.OnFailure.DLQ) {
            callback.onCompletion(null, new RuleViolationException(product, rule.name(), failure.reason(), false, null));
            return;
        }
        long now = System.currentTimeMillis();
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(contract.dlqTopic(), null, now, key, value,
                DeadLetters.ruleFailure(rule.name(), contract.subject(), topic, failure.reason(), now));
        producer.send(dead, (md, error) -> {
            if (error != null) {
                callback.onCompletion(null, new MeshException("record " + key + " of " + product + " broke rule '"
                        + rule.name() + "' and could not be written to " + contract.dlqTopic() + ": " + error.getMessage(), error));
                return;
            }
            counter(deadLetteredByRule, "mesh.publisher.dead.lettered", rule.name()).increment();
            callback.onCompletion(null, new RuleViolationException(product, rule.name(), failure.reason(), true, contract.dlqTopic()));
        });
    }

    private Counter counter(Map<String, Counter> cache, String name, String rule) {
        return cache.computeIfAbsent(rule, r -> Counter.builder(name).tag("product", contract.product().toString())
                .tag("rule", r).register(mesh.meters()));
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producerMetrics.close();
        producer.close(Duration.ofSeconds(30));
        lineage.close();
    }
}
