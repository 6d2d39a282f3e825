package dev.mesh.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JUnit 5 extension handing tests a real Kafka: {@link TestKafka} as a test or lifecycle method parameter.
 *
 * <p>One broker serves every test class of a JVM run. It is Testcontainers' Kafka ({@code apache/kafka}) where a
 * Docker engine answers, else {@link EmbeddedKafka}. {@code MESH_TEST_KAFKA=embedded|container} forces a choice.
 */
public final class KafkaExtension implements ParameterResolver {
    private static final Logger log = LoggerFactory.getLogger(KafkaExtension.class);
    static final String KAFKA_IMAGE = "apache/kafka:4.3.1";
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
        // Asking Testcontainers costs seconds of probing when there is plainly no engine; look first.
        boolean engineConfigured = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
        if (!engineConfigured) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
