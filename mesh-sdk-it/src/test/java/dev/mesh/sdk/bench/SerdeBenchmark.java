package dev.mesh.sdk.bench;

import dev.mesh.registry.EmbeddedRegistry;
import dev.mesh.sdk.it.model.TestOrder;
import dev.mesh.sdk.registry.RegistryClient;
import dev.mesh.sdk.internal.serde.AvroDeserializer;
import dev.mesh.sdk.internal.serde.AvroSerializer;
import dev.mesh.testkit.EmbeddedKafka;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The SDK's serdes against plain Avro on the same record. The SDK's serializer does the same Avro encoding plus
 * the 5-byte header; after the first record it must not touch the registry or look anything up by string.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(3)
public class SerdeBenchmark {
    private EmbeddedKafka kafka;
    private EmbeddedRegistry registry;
    private AvroSerializer<TestOrder> serializer;
    private AvroDeserializer<TestOrder> deserializer;
    private final SpecificDatumWriter<TestOrder> plainWriter = new SpecificDatumWriter<>(TestOrder.class);
    private final SpecificDatumReader<TestOrder> plainReader = new SpecificDatumReader<>(TestOrder.class);
    private final ByteArrayOutputStream plainOut = new ByteArrayOutputStream(256);
    private BinaryEncoder plainEncoder;
    private BinaryDecoder plainDecoder;
    private TestOrder order;
    private byte[] framed;
    private byte[] plainBytes;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        kafka = EmbeddedKafka.start();
        registry = EmbeddedRegistry.start(kafka.bootstrapServers());
        Map<String, Object> config = Map.of("schema.registry.url", registry.url());
        serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        deserializer = new AvroDeserializer<>(RegistryClient.create(config), TestOrder.class);
        order = TestOrder.newBuilder().setOrderId("order-000123").setCustomerId("customer-42")
                .setEmail("ann@example.com").setTotalAmount(new BigDecimal("129.95"))
                .setPlacedAt(Instant.parse("2026-11-21T10:15:30Z")).build();
        framed = serializer.serialize("bench.orders.v1", order);
        deserializer.deserialize("bench.orders.v1", framed);
        plainBytes = plain();
        // both serdes now hold the schema id: the registry and its broker, left running, measured as noise (single
        // iterations of either side 5-15 times slower than the rest, in the same fork)
        registry.close();
        kafka.close();
    }

    @Benchmark
    public byte[] meshSerialize() {
        return serializer.serialize("bench.orders.v1", order);
    }

    @Benchmark
    public byte[] plainAvroSerialize() throws IOException {
        return plain();
    }

    @Benchmark
    public TestOrder meshDeserialize() {
        return deserializer.deserialize("bench.orders.v1", framed);
    }

    @Benchmark
    public TestOrder plainAvroDeserialize() throws IOException {
        plainDecoder = DecoderFactory.get().binaryDecoder(plainBytes, plainDecoder);
        return plainReader.read(null, plainDecoder);
    }

    private byte[] plain() throws IOException {
        plainOut.reset();
        plainEncoder = EncoderFactory.get().binaryEncoder(plainOut, plainEncoder);
        plainWriter.write(order, plainEncoder);
        plainEncoder.flush();
        return plainOut.toByteArray();
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(SerdeBenchmark.class.getSimpleName()).build()).run();
    }
}
