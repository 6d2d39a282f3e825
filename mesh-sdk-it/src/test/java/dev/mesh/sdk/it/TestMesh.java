package dev.mesh.sdk.it;

import dev.mesh.registry.EmbeddedRegistry;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.contract.loader.ContractLoader;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.TestKafka;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What the SDK's tests get: the shared real broker, a real registry over HTTP (one per test JVM), and contracts
 * loaded under a unique domain so tests never share topics.
 */
public final class TestMesh implements ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(TestMesh.class);

    private TestKafka kafka;
    private String registryUrl;

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == TestMesh.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        TestKafka kafka = KafkaExtension.shared(c);
        SharedRegistry registry = c.getRoot().getStore(NS).getOrComputeIfAbsent(SharedRegistry.class,
                k -> new SharedRegistry(EmbeddedRegistry.start(kafka.bootstrapServers())), SharedRegistry.class);
        TestMesh mesh = new TestMesh();
        mesh.kafka = kafka;
        mesh.registryUrl = registry.registry.url();
        return mesh;
    }

    public TestKafka kafka() {
        return kafka;
    }

    public String registryUrl() {
        return registryUrl;
    }

    public Map<String, Object> config(String app) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", kafka.bootstrapServers());
        c.put("schema.registry.url", registryUrl);
        c.put(Mesh.APP, app);
        // a test's products are its own, made up as it goes: each program creates the topics of what it opens
        c.put(Mesh.PROVISION, "apply");
        return c;
    }

    public Mesh connect(String app) {
        return Mesh.connect(config(app));
    }

    /** A domain name no other test uses: contracts loaded under it get topics of their own. */
    public static String uniqueDomain() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** Loads {@code contracts/<name>/contract.yaml} with its schema, {@code ${domain}} replaced. */
    public static ProductContract contract(String name, String domain) {
        return contract(name, domain, Map.of());
    }

    /** As {@link #contract(String, String)}, with further text replacements in the contract and schema. */
    public static ProductContract contract(String name, String domain, Map<String, String> replacements) {
        try {
            Path dir = Files.createTempDirectory("contract-" + name);
            for (String file : new String[]{"contract.yaml", schemaFile(name)}) {
                String text = read("/contracts/" + name + "/" + file).replace("${domain}", domain);
                for (var r : replacements.entrySet()) {
                    text = text.replace(r.getKey(), r.getValue());
                }
                Files.writeString(dir.resolve(file), text);
            }
            return ContractLoader.load(dir.resolve("contract.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String schemaFile(String name) {
        return switch (name) {
            case "orders" -> "TestOrder.avsc";
            case "orders-v2" -> "TestOrderV2.avsc";
            case "payments" -> "TestPayment.avsc";
            case "settlements" -> "TestSettlement.avsc";
            case "people" -> "TestPerson.avsc";
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = TestMesh.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private record SharedRegistry(EmbeddedRegistry registry) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            registry.close();
        }
    }
}
