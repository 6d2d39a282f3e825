package dev.mesh.testkit;

import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Three real brokers and a separate KRaft controller in this JVM, for fault tests: stop a broker, keep
 * producing, start it again. (Combined mode with three nodes crashes in Kafka 4.3.1, hence the split.)
 */
public final class KafkaCluster implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private final AtomicBoolean closed = new AtomicBoolean();

    private KafkaCluster(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Starts {@code brokers} brokers and one controller; returns once every broker is ready. */
    public static KafkaCluster start(int brokers) {
        KafkaClusterTestKit kit = null;
        try {
            kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(false)
                    .setNumControllerNodes(1)
                    .setNumBrokerNodes(brokers)
                    .build())
                    .setConfigProp("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024))
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("offsets.topic.num.partitions", "5")
                    .setConfigProp("transaction.state.log.num.partitions", "5")
                    // the offsets and transactions of exactly-once apps survive a broker, as on a production cluster
                    .setConfigProp("offsets.topic.replication.factor", String.valueOf(Math.min(3, brokers)))
                    .setConfigProp("transaction.state.log.replication.factor", String.valueOf(Math.min(3, brokers)))
                    .setConfigProp("transaction.state.log.min.isr", String.valueOf(Math.min(2, brokers)))
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return new KafkaCluster(kit);
        } catch (Exception e) {
            if (kit != null) {
                try {
                    kit.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new KafkaException("cannot start a " + brokers + "-broker cluster: " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public Set<Integer> brokerIds() {
        return cluster.brokers().keySet();
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** Stops one broker, as a crash would look to clients; its data stays for {@link #startBroker}. */
    public void stopBroker(int id) {
        BrokerServer broker = broker(id);
        broker.shutdown();
        broker.awaitShutdown();
    }

    /** Starts a stopped broker again and waits until the cluster sees it. */
    public void startBroker(int id) {
        broker(id).startup();
        try (Admin admin = admin()) {
            Await.until(Duration.ofSeconds(60), "broker " + id + " to rejoin", () -> {
                try {
                    return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream()
                            .anyMatch(n -> n.id() == id);
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    private BrokerServer broker(int id) {
        BrokerServer broker = cluster.brokers().get(id);
        if (broker == null) {
            throw new IllegalArgumentException("no broker " + id + "; brokers are " + brokerIds());
        }
        return broker;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                cluster.close();
            } catch (Exception e) {
                throw new KafkaException("cannot stop the cluster cleanly", e);
            }
        }
    }
}
