package dev.mesh.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.kafka.KafkaContainer;


/**
 * JUnit 5 extension handing tests a real Kafka: {@link TestKafka} as a test or lifecycle method parameter.
 *
 * <p>One broker serves every test class of a JVM run. It is Testcontainers' Kafka ({@code apache/kafka}) where a
 * Docker engine answers and has its images (or can pull them within seconds), else {@link EmbeddedKafka}. {@code MESH_TEST_KAFKA=embedded|container} forces a choice.
 */
public final class KafkaExtension implements ParameterResolver {
    private static final Logger log = LoggerFactory.getLogger(KafkaExtension.class);
    static final String KAFKA_IMAGE = "apache/kafka:4.3.1";
    /** How long one question to the Docker engine may take (a pull included) before the embedded broker is used. */
    private static final java.time.Duration PROBE_TIMEOUT = java.time.Duration.ofSeconds(10);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    /** The broker of this JVM run, started on first use and stopped when the run ends. */
    public static TestKafka shared(ExtensionContext context) {
        SharedBroker broker = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedBroker.class, k -> SharedBroker.start(), SharedBroker.class);
        return broker.kafka;
    }

    private static final class SharedBroker implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final TestKafka kafka;
        private final AutoCloseable handle;

        private SharedBroker(TestKafka kafka, AutoCloseable handle) {
            this.kafka = kafka;
            this.handle = handle;
        }

        static SharedBroker start() {
            if (useContainer()) {
                KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
                container.start();
                log.info("Kafka for tests: container {} at {}", KAFKA_IMAGE, container.getBootstrapServers());
                return new SharedBroker(new TestKafka(container.getBootstrapServers()), container::stop);
            }
            EmbeddedKafka embedded = EmbeddedKafka.start();
            log.info("Kafka for tests: embedded broker at {}", embedded.bootstrapServers());
            return new SharedBroker(new TestKafka(embedded.bootstrapServers()), embedded);
        }

        @Override
        public void close() throws Exception {
            handle.close();
        }
    }

    static boolean useContainer() {
        String forced = System.getenv("MESH_TEST_KAFKA");
        if ("embedded".equals(forced)) {
            return false;
        }
        if ("container".equals(forced)) {
            return true;
        }
        return DockerEngine.configured(PROBE_TIMEOUT).map(KafkaExtension::canStartKafka).orElse(false);
    }

    /**
     * Whether the engine answers and has (or can pull at once) every image a Kafka container needs: Testcontainers
     * would otherwise retry pulls for minutes per test JVM where no image registry is reachable. Says why once.
     */
    static boolean canStartKafka(DockerEngine engine) {
        if (!engine.answers()) {
            log.info("Kafka for tests: the Docker engine at {} does not answer; using the embedded broker", engine.address());
            return false;
        }
        java.util.List<String> images = new java.util.ArrayList<>(java.util.List.of(KAFKA_IMAGE));
        if (!"true".equalsIgnoreCase(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
            images.add(org.testcontainers.utility.TestcontainersConfiguration.getInstance().getRyukImage());
        }
        for (String image : images) {
            if (!engine.canRun(image)) {
                log.info("Kafka for tests: the Docker engine at {} has no {} and cannot pull it now; using the embedded broker",
                        engine.address(), image);
                return false;
            }
        }
        return true;
    }
}
