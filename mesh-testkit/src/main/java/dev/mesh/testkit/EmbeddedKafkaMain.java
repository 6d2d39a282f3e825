package dev.mesh.testkit;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded broker on its own until Ctrl-C: {@code KAFKA_PORT} (default 9092), data kept in
 * {@code MESH_DATA_DIR} (default .mesh/kafka under the working directory).
 */
public final class EmbeddedKafkaMain {
    private EmbeddedKafkaMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(System.getenv().getOrDefault("KAFKA_PORT", "9092"));
        Path dataDir = Path.of(System.getenv().getOrDefault("MESH_DATA_DIR", ".mesh")).resolve("kafka");
        long started = System.nanoTime();
        EmbeddedKafka kafka = EmbeddedKafka.builder().port(port).dataDir(dataDir).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "embedded-kafka-shutdown"));
        System.out.printf("Kafka %s listening on %s (data in %s), started in %d ms. Ctrl-C stops it.%n",
                org.apache.kafka.common.utils.AppInfoParser.getVersion(), kafka.bootstrapServers(),
                dataDir.toAbsolutePath(), (System.nanoTime() - started) / 1_000_000);
        stopped.await();
    }
}
