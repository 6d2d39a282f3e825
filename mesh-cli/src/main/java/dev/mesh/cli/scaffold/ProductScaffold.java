package dev.mesh.cli.scaffold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.ProductId;
import dev.mesh.sdk.contract.loader.ContractLoader;
import dev.mesh.sdk.codegen.ProductHandles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes a new data product: its folder under {@code products/} (a documented .avsc and a contract with the mesh's
 * defaults), and for a derived product a topology class and its TopologyTestDriver test in the owning domain's
 * module. What it wrote is loaded through the contract loader before it returns, so a scaffold is valid at once;
 * if it is not, nothing is left behind.
 */
public final class ProductScaffold {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param products     the schemas module's products folder
     * @param domainModule for a derived product: the owning domain's module (its topology goes there)
     * @param schema       the record schema; its name and namespace are set here
     * @param key          the key field; empty picks the first field named like the record plus Id, else the first *Id
     * @param inputs       for a derived product: the products it reads (latest major of each in {@code products})
     */
    public record Request(Path products, ProductId id, ObjectNode schema, Optional<String> key, String description,
                          String classification, List<ProductId> inputs, Optional<Path> domainModule) {
    }

    /** What was written, relative to the working directory. */
    public record Result(ProductContract contract, List<Path> files) {
    }

    private ProductScaffold() {
    }

    /** A record schema from {@code name:type[:doc]} field specs. */
    public static ObjectNode schemaFromFields(List<FieldSpec> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("give the product's fields with --field name:type, or a sample with --from-json");
        }
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("type", "record");
        var array = schema.putArray("fields");
        fields.forEach(f -> array.add(f.avro()));
        return schema;
    }

    public static String recordName(ProductId id) {
        String name = ProductHandles.className(id.name());
        return name.endsWith("s") && !name.endsWith("ss") ? name.substring(0, name.length() - 1) : name;
    }

    public static String namespace(ProductId id, int major) {
        return "dev.mesh.schemas." + id.domain().replace("-", "") + "." + id.name().replace("-", "") + ".v" + major;
    }

    public static Result write(Request r) {
        Path folder = r.products().resolve(r.id().domain()).resolve(r.id().name()).resolve("v1");
        if (Files.exists(folder)) {
            throw new IllegalArgumentException(folder + " exists already: " + r.id() + " is a product of the mesh");
        }
        List<ProductContract> inputs = r.inputs().stream().map(i -> latest(r.products(), i)).toList();
        String recordName = recordName(r.id());
        ObjectNode schema = r.schema().deepCopy();
        ObjectNode ordered = JsonNodeFactory.instance.objectNode();
        ordered.put("type", "record");
        ordered.put("name", recordName);
        ordered.put("namespace", namespace(r.id(), 1));
        ordered.put("doc", schema.path("doc").asText("").isEmpty() || schema.path("doc").asText().startsWith("TODO")
                ? r.description() : schema.path("doc").asText());
        ordered.set("fields", schema.get("fields"));
        List<String> fieldNames = new ArrayList<>();
        ordered.get("fields").forEach(f -> fieldNames.add(f.get("name").asText()));
        String key = r.key().orElseGet(() -> defaultKey(recordName, fieldNames));
        if (!fieldNames.contains(key)) {
            throw new IllegalArgumentException("key '" + key + "' is not a field; the fields are " + fieldNames);
        }
        Optional<String> eventTime = inputs.isEmpty() ? firstTimestamp(ordered) : Optional.empty();

        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(folder);
            written.add(write(folder.resolve(recordName + ".avsc"), JSON.writeValueAsString(ordered) + "\n"));
            written.add(write(folder.resolve("contract.yaml"), contract(r, recordName, key, eventTime, inputs)));
            ProductContract loaded = ContractLoader.load(folder.resolve("contract.yaml"));
            if (!inputs.isEmpty()) {
                Path module = r.domainModule().orElseThrow(() -> new IllegalArgumentException(
                        "a derived product needs its domain's module for the topology (--module)"));
                written.addAll(topology(module, r.id(), loaded, inputs));
            }
            return new Result(loaded, written);
        } catch (RuntimeException | IOException e) {
            undo(written, folder);
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    private static String defaultKey(String recordName, List<String> fields) {
        String own = Character.toLowerCase(recordName.charAt(0)) + recordName.substring(1) + "Id";
        if (fields.contains(own)) {
            return own;
        }
        return fields.stream().filter(f -> f.endsWith("Id")).findFirst().orElse(fields.get(0));
    }

    private static Optional<String> firstTimestamp(ObjectNode schema) {
        for (JsonNode f : schema.get("fields")) {
            if ("timestamp-millis".equals(f.path("type").path("logicalType").asText())) {
                return Optional.of(f.get("name").asText());
            }
        }
        return Optional.empty();
    }

    private static String contract(Request r, String recordName, String key, Optional<String> eventTime,
                                   List<ProductContract> inputs) {
        String prefix = key.isEmpty() ? "x" : key.substring(0, 1);
        StringBuilder y = new StringBuilder()
                .append("product: ").append(r.id()).append('\n')
                .append("version: 1.0.0\n")
                .append("owner: {team: ").append(r.id().domain()).append(", contact: ").append(r.id().domain()).append("-data@shop.example}\n")
                .append("description: ").append(yamlText(r.description())).append('\n')
                .append("key: ").append(key).append('\n')
                .append("schema: ").append(recordName).append(".avsc\n");
        if (inputs.isEmpty()) {
            y.append("topic: {partitions: 3, retention: 30d}\n");
        } else {
            y.append("# the latest record per key: a derived product is a table\n")
                    .append("topic: {partitions: 3, cleanup: compact}\n");
        }
        y.append("compatibility: FULL_TRANSITIVE\n")
                .append("classification: ").append(r.classification()).append('\n')
                .append("tags: []\n")
                .append("slo: {freshness: 5m}\n");
        if (!inputs.isEmpty()) {
            y.append("inputs: [").append(inputs.stream().map(ProductContract::topicName).collect(Collectors.joining(", "))).append("]\n");
        }
        eventTime.ifPresent(f -> y.append("# when the event happened: never before 2000, never more than 5 minutes ahead of the clock\n")
                .append("eventTime: {field: ").append(f).append(", notBefore: 2000-01-01, maxFuture: 5m}\n"));
        if (inputs.isEmpty()) {
            y.append("# what the domain service fills in when a record posted to POST /products/").append(r.id().name())
                    .append(" leaves the field out\n")
                    .append("intake:\n  fill: {").append(key).append(": \"").append(prefix).append("-{uuid}\"")
                    .append(eventTime.map(f -> ", " + f + ": \"{now}\"").orElse("")).append("}\n");
        }
        return y.toString();
    }

    private static String yamlText(String text) {
        return text.matches("[A-Za-z0-9][^:#{}\\[\\],&*!|>'\"%@`]*") ? text : "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static ProductContract latest(Path products, ProductId id) {
        return ProductHandles.folders(products).stream().map(ProductHandles.Folder::contract)
                .filter(c -> c.product().equals(id)).max(Comparator.comparingInt(ProductContract::major))
                .orElseThrow(() -> new IllegalArgumentException("input " + id + " is not a product in " + products));
    }

    private static List<Path> topology(Path module, ProductId id, ProductContract derived, List<ProductContract> inputs)
            throws IOException {
        if (!Files.isDirectory(module)) {
            throw new IllegalArgumentException("no module " + module + " for the " + id.domain() + " domain's topology");
        }
        String pkg = "dev.mesh." + id.domain().replace("-", "");
        String cls = ProductHandles.className(id.name()) + "Topology";
        String out = handle(derived);
        java.util.Map<String, String> shown = shownTypes(cls, derived, inputs);
        String outType = shown.get(derived.schema().getFullName());
        StringBuilder reads = new StringBuilder();
        StringBuilder imports = new StringBuilder();
        StringBuilder testInputs = new StringBuilder();
        java.util.Set<String> handles = new java.util.TreeSet<>(List.of(domainClass(derived)));
        for (ProductContract in : inputs) {
            boolean table = in.topic().cleanupPolicy().equals("compact");
            String var = variable(in);
            String type = shown.get(in.schema().getFullName());
            handles.add(domainClass(in));
            reads.append("        ").append(table ? "KTable" : "KStream").append("<String, ").append(type).append("> ")
                    .append(var).append(" = in.").append(table ? "table" : "stream").append("(").append(handle(in)).append(");\n");
            testInputs.append("            TestInputTopic<String, ").append(type).append("> ").append(var)
                    .append(" = driver.createInputTopic(").append(handle(in)).append(".topic(), new StringSerializer(),\n")
                    .append("                    SERDES.of(").append(type).append(".class).serializer());\n");
        }
        java.util.Set<String> lines = new java.util.TreeSet<>();
        handles.forEach(h -> lines.add("dev.mesh.schemas." + h));
        shown.forEach((fqn, name) -> {
            if (!fqn.equals(name)) {
                lines.add(fqn);
            }
        });
        lines.forEach(l -> imports.append("import ").append(l).append(";\n"));
        String source = """
                package %1$s;

                %2$simport dev.mesh.sdk.Derivation;
                import dev.mesh.sdk.Product;
                import dev.mesh.sdk.ProductStreams;
                import jakarta.inject.Singleton;
                import org.apache.kafka.streams.kstream.KStream;
                import org.apache.kafka.streams.kstream.KTable;

                /** %3$s: %4$s */
                @Singleton
                final class %5$s implements Derivation<%6$s> {
                    @Override
                    public Product<%6$s> product() {
                        return %7$s;
                    }

                    @Override
                    public KStream<String, %6$s> derive(ProductStreams in) {
                %8$s        // Join and aggregate the inputs into %3$s records keyed by %9$s; state stores take in.store(...) or in.of(type).
                        throw new UnsupportedOperationException("%3$s: write its topology in %5$s");
                    }
                }
                """.formatted(pkg, imports, id, derived.description(), cls, outType, out, reads, derived.keyField());
        String test = """
                package %1$s;

                %2$simport dev.mesh.sdk.ProductStreams;
                import dev.mesh.sdk.StateSerdes;
                import org.apache.kafka.common.serialization.StringDeserializer;
                import org.apache.kafka.common.serialization.StringSerializer;
                import org.apache.kafka.streams.TestInputTopic;
                import org.apache.kafka.streams.TestOutputTopic;
                import org.apache.kafka.streams.TopologyTestDriver;
                import org.junit.jupiter.api.Test;

                import static org.assertj.core.api.Assertions.assertThat;

                /** %3$s's topology under TopologyTestDriver: records of its inputs in, its own records out. */
                class %4$sTest {
                    private static final StateSerdes SERDES = StateSerdes.plain();

                    @Test
                    void derivesItsRecordsFromItsInputs() {
                        ProductStreams streams = ProductStreams.detached(%5$s);
                        streams.to(new %4$s().derive(streams), %5$s);
                        try (TopologyTestDriver driver = new TopologyTestDriver(streams.topology(), streams.properties())) {
                %6$s            TestOutputTopic<String, %7$s> out = driver.createOutputTopic(%5$s.topic(),
                                    new StringDeserializer(), SERDES.of(%7$s.class).deserializer());
                            // pipe records into the inputs, then say what %3$s must hold
                            assertThat(out.readKeyValuesToMap()).as("records of %3$s").isNotEmpty();
                        }
                    }
                }
                """.formatted(pkg, imports, id, cls, out, testInputs, outType);
        Path main = module.resolve("src/main/java").resolve(pkg.replace('.', '/')).resolve(cls + ".java");
        Path testFile = module.resolve("src/test/java").resolve(pkg.replace('.', '/')).resolve(cls + "Test.java");
        for (Path f : List.of(main, testFile)) {
            if (Files.exists(f)) {
                throw new IllegalArgumentException(f + " exists already");
            }
        }
        Files.createDirectories(main.getParent());
        Files.createDirectories(testFile.getParent());
        return List.of(write(main, source), write(testFile, test));
    }

    /** Each record type by its simple name, imported, unless two share one (then by its full name). */
    private static java.util.Map<String, String> shownTypes(String cls, ProductContract derived, List<ProductContract> inputs) {
        List<String> types = Stream.concat(Stream.of(derived), inputs.stream()).map(c -> c.schema().getFullName()).distinct().toList();
        java.util.Map<String, String> shown = new java.util.LinkedHashMap<>();
        for (String fqn : types) {
            String simple = fqn.substring(fqn.lastIndexOf('.') + 1);
            boolean unique = types.stream().filter(t -> t.endsWith("." + simple)).count() == 1 && !simple.equals(cls);
            shown.put(fqn, unique ? simple : fqn);
        }
        return shown;
    }

    private static String handle(ProductContract c) {
        return domainClass(c) + "." + ProductHandles.constantName(c);
    }

    private static String domainClass(ProductContract c) {
        return ProductHandles.className(c.product().domain()) + "Products";
    }

    private static String variable(ProductContract c) {
        String pascal = ProductHandles.className(c.product().name());
        return Character.toLowerCase(pascal.charAt(0)) + pascal.substring(1);
    }

    private static Path write(Path file, String content) throws IOException {
        Files.writeString(file, content);
        return file;
    }

    private static void undo(List<Path> written, Path folder) {
        try {
            for (Path f : written) {
                Files.deleteIfExists(f);
            }
            // the version folder, then its product and domain folders if nothing else is in them
            for (Path dir = folder; dir != null && dir.getNameCount() > folder.getNameCount() - 3; dir = dir.getParent()) {
                try (Stream<Path> left = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
                    if (left.findAny().isPresent()) {
                        break;
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException ignored) {
            // best effort: the error that got here says what went wrong
        }
    }
}
