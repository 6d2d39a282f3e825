package dev.mesh.sdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.registry.EmbeddedRegistry;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.QualityRule;
import dev.mesh.sdk.contract.loader.ContractLoader;
import dev.mesh.sdk.internal.publish.ProductRegistration;
import dev.mesh.sdk.internal.quality.CompiledRules;
import dev.mesh.sdk.registry.RegistryClient;
import dev.mesh.sdk.registry.Rule;
import dev.mesh.sdk.registry.RuleSet;
import dev.mesh.sdk.registry.SchemaRequest;
import dev.mesh.testkit.KafkaExtension;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every product's quality rules, as the mesh registers them, evaluated by Confluent's JavaScript serializer
 * (@confluentinc/schemaregistry 1.10.1 and its CelExecutor, src/test/js/rules.cjs) on the same generated records as
 * by the SDK: each record fails the same rules in both, and each rule both passes and fails some record.
 */
@ExtendWith({KafkaExtension.class, TestMesh.class})
class PortableRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCHEMAS = Path.of("..", "schemas");
    private static final int RECORDS = 300;
    private static final List<String> STRINGS = List.of("", "a@b.example", "NL", "x", "o-1", "SKU-1", "DE", "ü@");

    @Test
    void confluentsJavaScriptSerializerFailsEachRecordOnTheRulesTheSdkFailsItOn(TestMesh mesh) throws Exception {
        RegistryClient registry = RegistryClient.create(mesh.config("portable-rules"));
        Random random = new Random(20261207);
        List<Map<String, Object>> products = new ArrayList<>();
        Map<String, ProductContract> bySubject = new LinkedHashMap<>();
        Map<String, List<GenericRecord>> recordsBySubject = new HashMap<>();
        for (ProductContract c : products()) {
            if (c.quality().isEmpty()) {
                continue;
            }
            String subject = "rules-" + UUID.randomUUID() + "-" + c.topicName() + "-value";
            registry.register(subject, ProductRegistration.request(c));
            List<GenericRecord> records = new ArrayList<>();
            List<String> encoded = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                byte[] bytes = encode(c.schema(), (GenericRecord) generate(c.schema(), random));
                encoded.add(Base64.getEncoder().encodeToString(bytes));
                records.add(new GenericDatumReader<GenericRecord>(c.schema()).read(null, DecoderFactory.get().binaryDecoder(bytes, null)));
            }
            bySubject.put(subject, c);
            recordsBySubject.put(subject, records);
            products.add(Map.of("subject", subject, "topic", c.topicName(), "schema", c.schema().toString(), "records", encoded));
        }
        assertThat(bySubject).as("products with quality rules").hasSizeGreaterThanOrEqualTo(6);

        JsonNode js = node(Map.of("registry", mesh.registryUrl(), "products", products));
        assertThat(js.has("error")).as(js.path("error").asText()).isFalse();
        Map<String, int[]> verdicts = new LinkedHashMap<>();
        for (JsonNode product : js.get("products")) {
            String subject = product.get("subject").asText();
            ProductContract c = bySubject.get(subject);
            List<GenericRecord> records = recordsBySubject.get(subject);
            for (int i = 0; i < records.size(); i++) {
                TreeSet<String> confluent = new TreeSet<>();
                product.get("failed").get(i).forEach(n -> confluent.add(n.asText()));
                TreeSet<String> sdk = new TreeSet<>();
                for (QualityRule rule : c.quality()) {
                    boolean fails = CompiledRules.compile(c.schema(), List.of(rule)).check(records.get(i)) != null;
                    int[] counts = verdicts.computeIfAbsent(c.product() + " " + rule.name(), k -> new int[2]);
                    counts[fails ? 1 : 0]++;
                    if (fails) {
                        sdk.add(rule.name());
                    }
                }
                assertThat(confluent).as("rules of %s failed in Confluent's JavaScript serializer (expected: as in the SDK), record %s", c.product(), records.get(i))
                        .isEqualTo(sdk);
            }
        }
        verdicts.forEach((rule, counts) -> assertThat(counts).as("%s passes and fails some record (passed, failed)", rule)
                .satisfies(n -> assertThat(n[0]).isPositive(), n -> assertThat(n[1]).isPositive()));
    }

    /** Whoever registers (the SDK or another client), a rule that would not evaluate alike in Confluent's executors is refused. */
    @Test
    void theRegistryRefusesARuleThatCannotTravel(TestMesh mesh) throws IOException {
        Map<String, Object> settings = Map.of("registry.topic", "_schemas_" + UUID.randomUUID(),
                "registry.policies", SCHEMAS.resolve("policies.yaml").toAbsolutePath().toString());
        try (EmbeddedRegistry policed = EmbeddedRegistry.start(mesh.kafka().bootstrapServers(), 0, settings)) {
            RegistryClient registry = RegistryClient.create(Map.of("schema.registry.url", policed.url()));
            ProductContract orders = products().stream().filter(c -> c.topicName().equals("sales.orders.v2")).findFirst().orElseThrow();
            SchemaRequest request = ProductRegistration.request(orders);
            List<Rule> rules = request.ruleSet().domainRules().stream().map(r -> !"positive-total".equals(r.name()) ? r
                    : new Rule(r.name(), r.doc(), r.kind(), r.mode(), r.type(), r.tags(), r.params(), "message.amount.value > 10.0",
                    r.onSuccess(), r.onFailure(), r.disabled())).toList();
            assertThatThrownBy(() -> registry.register(orders.subject(), new SchemaRequest(request.schema(), request.schemaType(),
                    request.references(), request.metadata(), new RuleSet(null, rules))))
                    .hasMessageContaining("[portable-rules]").hasMessageContaining("positive-total (message.amount.value)");
            assertThat(registry.register(orders.subject(), request)).as("the rules as the SDK registers them").isPositive();
        }
    }

    /** Every product of the repository's schemas folder, each major. */
    private static List<ProductContract> products() throws IOException {
        try (Stream<Path> files = Files.walk(SCHEMAS.resolve("products"))) {
            return files.filter(f -> f.getFileName().toString().equals("contract.yaml")).sorted().map(ContractLoader::load).toList();
        }
    }

    private static JsonNode node(Map<String, Object> input) throws IOException, InterruptedException {
        Path file = Files.createTempFile("rules-", ".json");
        try {
            JSON.writeValue(file.toFile(), input);
            Process node = new ProcessBuilder("node", "src/test/js/rules.cjs", file.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] out = node.getInputStream().readAllBytes();
            assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("node finished").isTrue();
            return JSON.readTree(out);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static byte[] encode(Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** A value of {@code schema} from small pools around the values rules decide on: signs, empties, '@', two letters. */
    private static Object generate(Schema schema, Random random) {
        if (schema.getLogicalType() instanceof LogicalTypes.Decimal d) {
            BigInteger unscaled = random.nextInt(4) == 0 ? BigInteger.ZERO
                    : new BigInteger(1 + random.nextInt(Math.min(30, d.getPrecision() * 3)), random);
            return ByteBuffer.wrap((random.nextBoolean() ? unscaled : unscaled.negate()).toByteArray());
        }
        return switch (schema.getType()) {
            case RECORD -> {
                GenericData.Record r = new GenericData.Record(schema);
                schema.getFields().forEach(f -> r.put(f.pos(), generate(f.schema(), random)));
                yield r;
            }
            case UNION -> {
                List<Schema> types = schema.getTypes();
                yield generate(types.get(random.nextInt(types.size())), random);
            }
            case ARRAY -> {
                List<Object> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    items.add(generate(schema.getElementType(), random));
                }
                yield new GenericData.Array<>(schema, items);
            }
            case MAP -> {
                Map<String, Object> map = new HashMap<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    map.put("k" + i, generate(schema.getValueType(), random));
                }
                yield map;
            }
            case ENUM -> new GenericData.EnumSymbol(schema, schema.getEnumSymbols().get(random.nextInt(schema.getEnumSymbols().size())));
            case STRING -> "uuid".equals(schema.getProp("logicalType")) ? UUID.randomUUID().toString()
                    : STRINGS.get(random.nextInt(STRINGS.size()));
            case INT -> schema.getLogicalType() instanceof LogicalTypes.Date ? 18_000 + random.nextInt(3_000) : random.nextInt(5) - 1;
            case LONG -> schema.getLogicalType() != null
                    ? Instant.parse("2024-01-01T00:00:00Z").toEpochMilli() + (long) random.nextInt(1_000_000) * 60_000
                    : (long) random.nextInt(5) - 1;
            case DOUBLE -> random.nextInt(5) - 1.5;
            case FLOAT -> random.nextInt(5) - 1.5f;
            case BOOLEAN -> random.nextBoolean();
            case BYTES -> ByteBuffer.wrap(new byte[]{(byte) random.nextInt()});
            case NULL -> null;
            default -> throw new IllegalArgumentException("no generator for " + schema);
        };
    }
}
