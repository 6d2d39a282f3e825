package dev.mesh.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision between a Kafka container and the embedded broker, against an engine speaking the Docker API over a
 * unix socket as dockerd does (HTTP/1.0 in, status line and body out), in the situations of a machine that has an
 * engine but no image registry.
 */
@Timeout(30)
class DockerEngineTest {
    private static final String RYUK = org.testcontainers.utility.TestcontainersConfiguration.getInstance().getRyukImage();
    @TempDir
    Path dir;
    private FakeEngine engine;

    @AfterEach
    void stop() throws IOException {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void noImageAndNoRegistryMeansTheEmbeddedBroker() throws IOException {
        engine = FakeEngine.start(dir.resolve("docker.sock"), request -> {
            if (request.startsWith("GET /_ping")) {
                return "HTTP/1.0 200 OK\r\n\r\nOK";
            }
            if (request.startsWith("POST /images/create")) {
                return "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n"
                        + "{\"status\":\"Pulling from apache/kafka\"}\n{\"errorDetail\":{\"message\":\"no such host\"},\"error\":\"no such host\"}";
            }
            return "HTTP/1.0 404 Not Found\r\n\r\n{\"message\":\"No such image\"}";
        });
        assertThat(KafkaExtension.canStartKafka(DockerEngine.at(engine.socket, Duration.ofSeconds(5)))).isFalse();
        assertThat(engine.requests).as("asked for the image, tried one pull, then gave up")
                .anyMatch(r -> r.startsWith("GET /images/" + KafkaExtension.KAFKA_IMAGE + "/json"))
                .anyMatch(r -> r.startsWith("POST /images/create?fromImage=apache%2Fkafka&tag=4.3.1"))
                .noneMatch(r -> r.contains("ryuk"));
    }

    @Test
    void aPullThatDoesNotFinishInTimeMeansTheEmbeddedBroker() throws IOException {
        engine = FakeEngine.start(dir.resolve("docker.sock"), request -> {
            if (request.startsWith("GET /_ping")) {
                return "HTTP/1.0 200 OK\r\n\r\nOK";
            }
            return request.startsWith("POST") ? null : "HTTP/1.0 404 Not Found\r\n\r\n{}";
        });
        DockerEngine docker = DockerEngine.at(engine.socket, Duration.ofMillis(500));
        assertThat(docker.pull(KafkaExtension.KAFKA_IMAGE)).isFalse();
        assertThat(KafkaExtension.canStartKafka(docker)).isFalse();
    }

    @Test
    void presentImagesMeanTheContainer() throws IOException {
        engine = FakeEngine.start(dir.resolve("docker.sock"), request -> "HTTP/1.0 200 OK\r\n\r\n{}");
        assertThat(KafkaExtension.canStartKafka(DockerEngine.at(engine.socket, Duration.ofSeconds(5)))).isTrue();
        assertThat(engine.requests).as("both images Testcontainers will start are looked for")
                .anyMatch(r -> r.startsWith("GET /images/" + KafkaExtension.KAFKA_IMAGE + "/json"))
                .anyMatch(r -> r.startsWith("GET /images/" + RYUK + "/json"))
                .noneMatch(r -> r.startsWith("POST"));
    }

    @Test
    void anEngineThatIsNotThereDoesNotAnswer() {
        assertThat(DockerEngine.at(dir.resolve("nobody.sock"), Duration.ofSeconds(1)).answers()).isFalse();
    }

    @Test
    void aDockerHostThatNamesNoReachableEngineIsNone() {
        for (String junk : List.of("not a uri %%", "tcp://", "ssh://user@host", "unix://", "npipe:////./pipe/docker_engine")) {
            assertThat(DockerEngine.named(junk, Duration.ofSeconds(1))).as(junk).isEmpty();
        }
        assertThat(DockerEngine.named("tcp://127.0.0.1", Duration.ofSeconds(1))).as("Docker's default port").hasValueSatisfying(
                e -> assertThat(e.address()).endsWith(":2375"));
        assertThat(DockerEngine.named("unix:///var/run/docker.sock", Duration.ofSeconds(1))).isPresent();
    }

    /** Answers each connection with {@code reply(request line)}; null: never answers. */
    private static final class FakeEngine implements AutoCloseable {
        final Path socket;
        final List<String> requests = new CopyOnWriteArrayList<>();
        private final ServerSocketChannel server;
        private final List<SocketChannel> open = new CopyOnWriteArrayList<>();

        private FakeEngine(Path socket, ServerSocketChannel server) {
            this.socket = socket;
            this.server = server;
        }

        static FakeEngine start(Path socket, Function<String, String> reply) throws IOException {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            FakeEngine engine = new FakeEngine(socket, server);
            Thread t = new Thread(() -> engine.serve(reply), "fake-docker");
            t.setDaemon(true);
            t.start();
            return engine;
        }

        private void serve(Function<String, String> reply) {
            while (server.isOpen()) {
                try {
                    SocketChannel c = server.accept();
                    open.add(c);
                    ByteBuffer in = ByteBuffer.allocate(4096);
                    String request = "";
                    while (!request.contains("\r\n\r\n") && c.read(in) >= 0) {
                        request = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
                    }
                    String line = request.substring(0, Math.max(0, request.indexOf("\r\n")));
                    requests.add(line);
                    String answer = reply.apply(line);
                    if (answer != null) {
                        c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                        c.close();
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (SocketChannel c : open) {
                c.close();
            }
        }
    }
}
