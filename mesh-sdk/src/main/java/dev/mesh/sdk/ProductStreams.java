package dev.mesh.sdk;

import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.internal.streams.StreamsDeadLetters;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.catalog.ConsumerEntry;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.internal.publish.ProductRegistration;
import dev.mesh.sdk.internal.quality.CheckedDeserializer;
import dev.mesh.sdk.internal.quality.ContractBounds;
import dev.mesh.sdk.internal.quality.RuleFailure;
import dev.mesh.sdk.internal.serde.AvroDeserializer;
import dev.mesh.sdk.internal.serde.AvroEncoder;
import dev.mesh.sdk.internal.serde.AvroModels;
import dev.mesh.sdk.internal.serde.AvroSerde;
import dev.mesh.sdk.internal.serde.AvroSerializer;
import dev.mesh.sdk.internal.serde.StateSerde;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import dev.mesh.sdk.internal.streams.SharedRocksDbMemory;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.common.utils.Bytes;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Helpers for a Kafka Streams app that reads products and derives one: typed streams and tables of products,
 * serdes in the wire format, and {@link #to} which registers the derived product's contract and records its
 * lineage. The app runs exactly-once ({@code exactly_once_v2}) with the mesh's replication factor.
 */
public final class ProductStreams implements StateSerdes {
    /** Mesh config properties with this prefix go to every Streams app of the application. */
    public static final String STREAMS_PREFIX = "mesh.streams.";
    /** The header a derived record carries from its app: milliseconds from its newest input to its write. */
    public static final String LATENCY_HEADER = dev.mesh.sdk.internal.streams.LatencyStamp.HEADER;
    /** The one RocksDB memory budget of every Streams app of the process, in bytes. */
    public static final String ROCKSDB_MEMORY_BYTES = dev.mesh.sdk.internal.streams.SharedRocksDbMemory.BUDGET_BYTES;

    /** Null when detached: then nothing reaches Kafka or the registry, and every serde is a state serde. */
    private final Mesh mesh;
    private final Product<?> derived;
    private final String applicationId;
    private final StreamsBuilder builder = new StreamsBuilder();
    private final Set<String> inputs = new LinkedHashSet<>();
    /** What the app reads and the id its product was registered under, for its OpenLineage run. */
    private final java.util.Map<String, ProductContract> inputContracts = new java.util.LinkedHashMap<>();
    private int derivedSchemaId = -1;
    private org.apache.kafka.streams.KafkaStreams.StateListener stateListener = (now, before) -> { };
    private final Properties overrides = new Properties();
    private final StreamsDeadLetters.Tally deadLetters;
    private String detachedStateDir;

    ProductStreams(Mesh mesh, Product<?> derived) {
        this.mesh = mesh;
        this.derived = derived;
        this.applicationId = derived.applicationId();
        this.deadLetters = new StreamsDeadLetters.Tally(derived.id().domain());
    }

    /**
     * What the app has dead-lettered of its own domain's records: how many, and the last with its origin and reason.
     * Anything here means a product of the domain holds a record its readers refuse.
     */
    public OwnDeadLetters ownDeadLetters() {
        return new OwnDeadLetters(deadLetters.own(), deadLetters.last(), deadLetters.lastAt());
    }

    /** See {@link #ownDeadLetters()}. */
    public record OwnDeadLetters(long count, java.util.Optional<String> last, java.util.Optional<Instant> lastAt) {
    }

    /**
     * The same topology, detached from any cluster and registry (for TopologyTestDriver): products are read and
     * written under their topic names with {@link #stateSerde state serdes}, nothing is registered or created.
     */
    public static ProductStreams detached(Product<?> derived) {
        return new ProductStreams(null, derived);
    }

    public StreamsBuilder builder() {
        return builder;
    }

    public String applicationId() {
        return applicationId;
    }

    /**
     * A serde reading products of this type (generated class or GenericRecord) in Confluent's wire format. It
     * writes (into a table's store) only with schemas already registered: a consumer never registers schemas
     * under someone else's product.
     */
    public <T> Serde<T> serde(Class<T> type) {
        if (mesh == null) {
            return stateSerde(type);
        }
        return new AvroSerde<>(new AvroSerializer<>(mesh.registry(), false, false), new AvroDeserializer<>(mesh.registry(), type));
    }

    /** A serde for the app's own state (stores, repartition topics): no registry, see {@link StateSerde}. */
    public <T> Serde<T> stateSerde(Class<T> type) {
        return new StateSerde<>(type);
    }

    @Override
    public <T> Serde<T> of(Class<T> type) {
        return stateSerde(type);
    }

    /**
     * A serde reading a product the app consumes: each record must be written with a schema of the product's subject
     * and keep its contract's bounds, or it goes to the app's DLQ with the rule named, before the topology sees it.
     */
    private <T> Serde<T> inputSerde(Product<T> product) {
        if (mesh == null) {
            return stateSerde(product.type());
        }
        return new AvroSerde<>(new AvroSerializer<>(mesh.registry(), false, false), new CheckedDeserializer<>(
                new AvroDeserializer<>(mesh.registry(), product.type()), product.contract(), mesh.registry(), mesh.clients().clock()));
    }

    /** The product as a stream of records keyed by the contract's key. */
    public <T> KStream<String, T> stream(Product<T> product) {
        consumes(product.contract());
        return builder.stream(product.topic(), Consumed.with(Serdes.String(), inputSerde(product)));
    }

    /** The product as a table: the latest record per key. */
    public <T> KTable<String, T> table(Product<T> product) {
        consumes(product.contract());
        return builder.table(product.topic(), Consumed.with(Serdes.String(), inputSerde(product)),
                Materialized.<String, T, KeyValueStore<Bytes, byte[]>>as(product.topic() + "-table")
                        .withKeySerde(Serdes.String()).withValueSerde(serde(product.type())));
    }

    private void consumes(ProductContract product) {
        inputs.add(product.topicName());
        inputContracts.putIfAbsent(product.topicName(), product);
        if (mesh == null) {
            return;
        }
        mesh.clients().requireReaderBeforeSunset(product, applicationId, "start a new Streams app (" + applicationId + ") reading");
        // an app may start before the product's publisher: its topic exists once the mesh applied its plan
        ProductRegistration.provisioned(mesh.clients(), product, false);
        mesh.catalog().recordConsumer(new ConsumerEntry(applicationId, product.topicName(), product.product().toString(),
                mesh.app(), ConsumerEntry.STREAMS, Instant.now()));
    }

    /**
     * Writes the stream as the derived product: creates its topics, registers its schema with the contract and
     * announces it in the catalog with its inputs and this app's id. The contract must declare every product the
     * app reads as an input, so lineage is never silently wrong.
     */
    public <T> void to(KStream<String, T> stream, Product<T> product) {
        if (product != this.derived) {
            throw new MeshException(applicationId + " derives " + this.derived + ", not " + product);
        }
        ProductContract derived = product.contract();
        Class<T> type = product.type();
        Set<String> declared = new LinkedHashSet<>(derived.inputs().stream().map(Naming.ProductVersion::topic).toList());
        // a deprecated major may be fed from its successor (see MigrationBridge)
        derived.deprecated().ifPresent(d -> declared.add(d.successor()));
        Set<String> undeclared = new LinkedHashSet<>(inputs);
        undeclared.removeAll(declared);
        if (!undeclared.isEmpty()) {
            throw new MeshException(derived.origin() + " does not declare " + undeclared + " as inputs, but "
                    + applicationId + " reads them; add them to the contract's inputs");
        }
        if (mesh == null) {
            stream.to(derived.topicName(), Produced.with(Serdes.String(), stateSerde(type)));
            return;
        }
        mesh.clients().requireBeforeSunset(derived, "write to");
        int schemaId = ProductRegistration.register(mesh.clients(), derived);
        derivedSchemaId = schemaId;
        Serde<T> out = productSerde(derived, type, schemaId);
        stream.processValues(dev.mesh.sdk.internal.streams.LatencyStamp.<T>supplier(mesh.meters(), derived.product().toString(),
                        derived.topicName()), org.apache.kafka.streams.kstream.Named.as(applicationId + "-latency"))
                .to(derived.topicName(), Produced.with(Serdes.String(), out));
        // lineage from what the app reads: the declared inputs, or a bridge's successor
        Set<String> read = new LinkedHashSet<>(declared);
        read.retainAll(inputs);
        read.addAll(derived.inputs().stream().map(Naming.ProductVersion::topic).toList());
        mesh.catalog().publishProduct(ProductEntry.of(derived, schemaId, mesh.app(), applicationId).withInputs(List.copyOf(read)));
    }

    /** Writes with the id registered for the contract, so the derived product's records carry its contract. */
    private <T> Serde<T> productSerde(ProductContract derived, Class<T> type, int schemaId) {
        org.apache.avro.Schema schema = SpecificRecord.class.isAssignableFrom(type)
                ? SpecificData.getForClass(type).getSchema(type) : derived.schema();
        AvroEncoder<T> encoder = new AvroEncoder<>(schema, schemaId, AvroModels.forClass(type));
        AvroDeserializer<T> deserializer = new AvroDeserializer<>(mesh.registry(), type);
        org.apache.avro.generic.GenericData model = AvroModels.forClass(type);
        var encryption = dev.mesh.sdk.encryption.EncryptRule.forContract(derived).flatMap(rule ->
                dev.mesh.sdk.encryption.FieldEncryption.of(schema, rule, derived.subject(),
                        dev.mesh.sdk.encryption.DataKeys.of(mesh.registry(), mesh.clients().config(), mesh.clients().clock())));
        // a derived record keeps its own contract's bounds too: one that breaks them is its source's dead letter
        ContractBounds bounds = ContractBounds.of(derived);
        java.util.function.Supplier<Instant> clock = mesh.clients().clock();
        return Serdes.serdeFrom((topic, value) -> {
            if (value == null) {
                return null;
            }
            RuleFailure failure = bounds.check((org.apache.avro.generic.IndexedRecord) value, clock.get());
            if (failure != null) {
                throw new CheckedDeserializer.BrokenContractException(failure);
            }
            return encoder.encode(encryption.isPresent() ? encryption.get().encrypt(value, model) : value);
        }, deserializer);
    }

    /** Any Streams property, e.g. {@code state.dir} or {@code commit.interval.ms}. */
    public ProductStreams property(String name, Object value) {
        overrides.put(name, value);
        return this;
    }

    public Properties properties() {
        Properties p = new Properties();
        if (mesh == null) {
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "detached:9092");
            p.put(StreamsConfig.STATE_DIR_CONFIG, detachedStateDir());
            p.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
            p.putAll(overrides);
            return p;
        }
        p.putAll(mesh.kafkaProperties());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) mesh.replicationFactor());
        // internal topics (changelogs, repartitions) as durable as the products: min.insync.replicas=2 from 3 replicas
        dev.mesh.sdk.kafka.Topics.durable(mesh.replicationFactor(), Map.of())
                .forEach((name, value) -> p.put(StreamsConfig.topicPrefix(name), value));
        // A record that cannot be decoded, processed or written goes to the app's DLQ and processing goes on: a
        // poison pill must neither stop the app nor vanish.
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsDeadLetters.Decoding.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsDeadLetters.Processing.class.getName());
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsDeadLetters.Producing.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Kafka Streams' partition assignor rebuilds a StreamsConfig from the main consumer's settings and warns
        // that the above is off unless they carry it too
        p.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Naming.streamsDlqTopic(applicationId));
        p.put(StreamsDeadLetters.TALLY, deadLetters);
        // a static member per stream thread (Streams appends the thread's index), see Mesh.INSTANCE
        mesh.instance().ifPresent(instance -> p.put(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance));
        // With two or more instances, each store also has a warm copy on another one: after an instance dies its
        // keys are served again in seconds, not after a restore (a single instance has no standby to place).
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        // A table read from a product topic restores from that topic instead of a changelog copy of it.
        p.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
        // No record caches: a derived record is sent when computed and visible at the next commit (exactly-once's
        // 100 ms), instead of waiting in a cache for a flush. Measured (SettlementLatency, 1,600 orders/s, 2 cores):
        // order to settlement p99 189 ms without caches against 637 ms with Kafka's 10 MB, at no more CPU.
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        // every store of every app in the JVM within one RocksDB budget: mesh.rocksdb.memory.bytes, default 64 MB
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, SharedRocksDbMemory.class.getName());
        Object rocksDbBudget = mesh.config().get(SharedRocksDbMemory.BUDGET_BYTES);
        if (rocksDbBudget != null) {
            // checked here, so a wrong value stops the app's start with its name instead of failing in every store
            p.put(SharedRocksDbMemory.BUDGET_BYTES, SharedRocksDbMemory.budget(rocksDbBudget));
        }
        // mesh.streams.<any Streams property>, e.g. mesh.streams.state.dir (env MESH_STREAMS_STATE_DIR)
        mesh.config().forEach((name, value) -> {
            if (name.startsWith(STREAMS_PREFIX)) {
                p.put(name.substring(STREAMS_PREFIX.length()), value);
            }
        });
        p.putAll(overrides);
        return p;
    }

    /** A state directory of this detached app alone, so tests in one JVM never share one. */
    private synchronized String detachedStateDir() {
        try {
            if (detachedStateDir == null) {
                detachedStateDir = java.nio.file.Files.createTempDirectory("mesh-detached-").toString();
            }
            return detachedStateDir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The topology as it will run, with the app's optimizations applied. */
    public org.apache.kafka.streams.Topology topology() {
        return builder.build(properties());
    }

    public List<String> inputs() {
        return List.copyOf(inputs);
    }

    /**
     * Who hears of the app's state changes: the app's own listener is taken by its OpenLineage run (START when it first
     * runs, FAIL on ERROR, COMPLETE when it stops), which passes every change on to this one. Set it before
     * {@link #build()}; a listener set on the built app directly would silence the run.
     */
    public ProductStreams onStateChange(KafkaStreams.StateListener listener) {
        this.stateListener = listener;
        return this;
    }

    /** The app, not yet started. */
    public KafkaStreams build() {
        if (mesh == null) {
            throw new IllegalStateException(applicationId + " is detached; run its topology() with TopologyTestDriver");
        }
        Properties properties = properties();
        dev.mesh.sdk.kafka.Topics.ensure(mesh.admin(), Naming.streamsDlqTopic(applicationId), 1, mesh.replicationFactor(), java.util.Map.of());
        KafkaStreams app = new KafkaStreams(builder.build(properties), properties);
        var run = mesh.lineage().streamsApp(applicationId, List.copyOf(inputContracts.values()), derived.contract(), derivedSchemaId);
        KafkaStreams.StateListener next = stateListener;
        app.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                run.start();
            } else if (now == KafkaStreams.State.ERROR) {
                run.fail(new MeshException("streams app " + applicationId + " stopped with an error (state " + before + " -> ERROR)"));
            } else if (now == KafkaStreams.State.NOT_RUNNING) {
                run.close();
            }
            next.onChange(now, before);
        });
        return app;
    }
}
