package dev.mesh.testkit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real Apache Kafka inside this JVM: one node in KRaft combined mode (broker and controller), or with
 * {@link Builder#brokers(int)} several brokers and a KRaft controller of their own, as a production cluster is shaped.
 *
 * <p>The data directory is either given (and kept, so a restarted broker finds its topics) or a temporary
 * one that {@link #close()} deletes. Internal topics get as many replicas as there are brokers, up to 3 (more than
 * there are hang consumer groups and transactions), and {@code min.insync.replicas=2} from 3 on; a small log-cleaner
 * buffer keeps a node's RSS near 250 MB.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final int NODE_ID = 1;
    /** The controller's id when brokers and controller are separate nodes (brokers are 1..n). */
    private static final int CONTROLLER_ID = 1000;
    private static final int BIND_ATTEMPTS = 5;

    /** Controller first; closed in reverse, so brokers leave while the controller can still move their leaders. */
    private final List<KafkaRaftServer> servers;
    private final String bootstrapServers;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final Map<String, String> adminProperties;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(List<KafkaRaftServer> servers, String bootstrapServers, Path dataDir, boolean deleteOnClose,
                          Map<String, String> adminProperties) {
        this.servers = servers;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.adminProperties = adminProperties;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A broker on a free port with a temporary data directory. */
    public static EmbeddedKafka start() {
        return builder().start();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** As the super user on a secured broker. */
    public Admin admin() {
        Map<String, Object> p = new HashMap<>(adminProperties);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(p);
    }

    /** The Kafka client settings of the super user: empty on a broker without security. */
    public Map<String, String> adminProperties() {
        return adminProperties;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (int i = servers.size() - 1; i >= 0; i--) {
            servers.get(i).shutdown();
            servers.get(i).awaitShutdown();
        }
        if (deleteOnClose) {
            Files2.deleteRecursively(dataDir);
        }
    }

    public static final class Builder {
        private int port;
        private int brokers = 1;
        private Path dataDir;
        private final Map<String, String> overrides = new HashMap<>();
        private String adminUser;
        private String adminSecret;

        /** Port of the client listener; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * How many brokers: 1 (the default) is one combined node; more are broker-only nodes beside one KRaft
         * controller. With a fixed {@link #port} the brokers listen on it and the ports after it.
         */
        public Builder brokers(int brokers) {
            if (brokers < 1) {
                throw new IllegalArgumentException("brokers must be at least 1, was " + brokers);
            }
            this.brokers = brokers;
            return this;
        }

        /** Keep data here across restarts; by default a temporary directory deleted on close. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /**
         * SASL/SCRAM-SHA-512 for clients, KRaft's {@code StandardAuthorizer} with no access where no ACL allows it, and
         * {@code User:<adminUser>} as the super user. The admin's SCRAM credential is written when the storage is
         * formatted (the broker authenticates to itself with it); the controller listener takes the same secret
         * over SASL/PLAIN, as SCRAM credentials live in the metadata a controller must first read.
         */
        public Builder secured(String adminUser, String adminSecret) {
            this.adminUser = adminUser;
            this.adminSecret = adminSecret;
            return this;
        }

        /** Any broker property, passed to Kafka untouched. */
        public Builder brokerProperty(String name, String value) {
            overrides.put(name, value);
            return this;
        }

        public EmbeddedKafka start() {
            boolean temporary = dataDir == null;
            Path dir = temporary ? Files2.createTempDir("embedded-kafka-") : dataDir;
            try {
                Files.createDirectories(dir);
                for (int attempt = 1; ; attempt++) {
                    List<Integer> brokerPorts = new java.util.ArrayList<>();
                    for (int i = 0; i < brokers; i++) {
                        brokerPorts.add(port != 0 ? port + i : FreePorts.find());
                    }
                    int controllerPort = FreePorts.find();
                    try {
                        return startOn(dir, brokerPorts, controllerPort, temporary);
                    } catch (RuntimeException e) {
                        // A free port can be taken between finding and binding it; only then is retrying right.
                        if (!isBindFailure(e) || attempt >= BIND_ATTEMPTS) {
                            throw e;
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create Kafka data directory " + dir, e);
            } catch (RuntimeException e) {
                if (temporary) {
                    Files2.deleteRecursively(dir);
                }
                throw e;
            }
        }

        private EmbeddedKafka startOn(Path dir, List<Integer> brokerPorts, int controllerPort, boolean temporary) {
            String clusterId = existingClusterId(dir).orElseGet(() -> Uuid.randomUuid().toString());
            List<Node> nodes = new java.util.ArrayList<>();
            if (brokers == 1) {
                nodes.add(new Node(NODE_ID, "broker,controller", dir, brokerPorts.get(0)));
            } else {
                nodes.add(new Node(CONTROLLER_ID, "controller", dir.resolve("controller"), 0));
                for (int i = 0; i < brokers; i++) {
                    nodes.add(new Node(i + 1, "broker", dir.resolve("broker-" + (i + 1)), brokerPorts.get(i)));
                }
            }
            int voter = nodes.get(0).id();
            List<KafkaRaftServer> started = new java.util.ArrayList<>();
            try {
                for (Node node : nodes) {
                    KafkaConfig config = new KafkaConfig(nodeProperties(node, voter, controllerPort), false);
                    format(node, clusterId);
                    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
                    started.add(server);
                    server.startup();
                }
            } catch (RuntimeException e) {
                for (int i = started.size() - 1; i >= 0; i--) {
                    started.get(i).shutdown();
                    started.get(i).awaitShutdown();
                }
                throw e;
            }
            Map<String, String> admin = adminUser == null ? Map.of() : Map.of(
                    "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512",
                    "sasl.jaas.config", jaas("org.apache.kafka.common.security.scram.ScramLoginModule", ""));
            String bootstrap = String.join(",", brokerPorts.stream().map(p -> "127.0.0.1:" + p).toList());
            EmbeddedKafka kafka = new EmbeddedKafka(List.copyOf(started), bootstrap, dir, temporary, admin);
            try {
                awaitReady(kafka, brokers);
            } catch (RuntimeException e) {
                kafka.close();
                throw e;
            }
            return kafka;
        }

        /** A KRaft node: its id, {@code process.roles}, data directory and (with the broker role) client port. */
        private record Node(int id, String roles, Path dir, int brokerPort) {
            boolean broker() {
                return roles.contains("broker");
            }

            boolean controller() {
                return roles.contains("controller");
            }
        }

        private Map<String, String> nodeProperties(Node node, int voter, int controllerPort) {
            Map<String, String> p = new HashMap<>();
            String client = adminUser == null ? "PLAINTEXT" : "CLIENT";
            p.put("process.roles", node.roles());
            p.put("node.id", String.valueOf(node.id()));
            p.put("controller.quorum.voters", voter + "@127.0.0.1:" + controllerPort);
            List<String> listeners = new java.util.ArrayList<>();
            if (node.broker()) {
                listeners.add(client + "://127.0.0.1:" + node.brokerPort());
                p.put("advertised.listeners", client + "://127.0.0.1:" + node.brokerPort());
                p.put("inter.broker.listener.name", client);
            }
            if (node.controller()) {
                listeners.add("CONTROLLER://127.0.0.1:" + controllerPort);
            }
            p.put("listeners", String.join(",", listeners));
            p.put("controller.listener.names", "CONTROLLER");
            p.put("listener.security.protocol.map", adminUser == null ? "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                    : "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
            if (adminUser != null) {
                secure(p, node);
            }
            p.put("log.dirs", node.dir().resolve("data").toString());
            p.put("metadata.log.dir", node.dir().resolve("meta").toString());
            String replicas = String.valueOf(Math.min(3, brokers));
            String minIsr = String.valueOf(Math.min(2, brokers));
            p.put("offsets.topic.replication.factor", replicas);
            p.put("offsets.topic.num.partitions", "5");
            p.put("transaction.state.log.replication.factor", replicas);
            p.put("transaction.state.log.min.isr", minIsr);
            p.put("transaction.state.log.num.partitions", "5");
            p.put("share.coordinator.state.topic.replication.factor", replicas);
            p.put("share.coordinator.state.topic.min.isr", minIsr);
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
            p.put("num.network.threads", "2");
            p.put("num.io.threads", "4");
            p.putAll(overrides);
            return p;
        }

        private void secure(Map<String, String> p, Node node) {
            if (node.broker()) {
                p.put("listener.name.client.sasl.enabled.mechanisms", "SCRAM-SHA-512");
                p.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
                p.put("listener.name.client.scram-sha-512.sasl.jaas.config",
                        jaas("org.apache.kafka.common.security.scram.ScramLoginModule", ""));
            }
            if (node.controller()) {
                p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
                p.put("listener.name.controller.plain.sasl.jaas.config", jaas("org.apache.kafka.common.security.plain.PlainLoginModule",
                        " user_" + adminUser + "=\"" + adminSecret + "\""));
            }
            p.put("sasl.mechanism.controller.protocol", "PLAIN");
            if (!node.controller()) {
                // how a broker-only node signs in to the controller
                p.put("listener.name.controller.plain.sasl.jaas.config", jaas("org.apache.kafka.common.security.plain.PlainLoginModule", ""));
            }
            p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            p.put("super.users", "User:" + adminUser);
            p.put("allow.everyone.if.no.acl.found", "false");
        }

        private String jaas(String module, String more) {
            return module + " required username=\"" + adminUser + "\" password=\"" + adminSecret + "\"" + more + ";";
        }

        private void format(Node node, String clusterId) {
            Path dir = node.dir();
            try {
                new Formatter()
                        .setScramArguments(adminUser == null ? List.of()
                                : List.of("SCRAM-SHA-512=[name=" + adminUser + ",password=" + adminSecret + "]"))
                        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                        .setNodeId(node.id())
                        .setClusterId(clusterId)
                        .setDirectories(List.of(dir.resolve("data").toString(), dir.resolve("meta").toString()))
                        .setMetadataLogDirectory(dir.resolve("meta").toString())
                        .setControllerListenerName("CONTROLLER")
                        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                        .setHasDynamicQuorum(false)
                        // A kept data dir is already formatted: reuse it as it is.
                        .setIgnoreFormatted(true)
                        .run();
            } catch (Exception e) {
                throw new KafkaException("cannot format Kafka storage in " + dir + ": " + e.getMessage(), e);
            }
        }

        /** A kept data dir was formatted with a cluster id; formatting it again must name the same one. */
        private static Optional<String> existingClusterId(Path dir) {
            Path meta = Files.exists(dir.resolve("meta")) ? dir.resolve("meta").resolve("meta.properties")
                    : dir.resolve("controller").resolve("meta").resolve("meta.properties");
            if (!Files.exists(meta)) {
                return Optional.empty();
            }
            Properties props = new Properties();
            try (var in = Files.newInputStream(meta)) {
                props.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + meta, e);
            }
            return Optional.ofNullable(props.getProperty("cluster.id"));
        }

        private static void awaitReady(EmbeddedKafka kafka, int brokers) {
            try (Admin admin = kafka.admin()) {
                Await.until(Duration.ofSeconds(60), "embedded brokers " + kafka.bootstrapServers + " to answer", () -> {
                    try {
                        return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= brokers;
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
        }

        private static boolean isBindFailure(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                    return true;
                }
            }
            return false;
        }
    }
}
