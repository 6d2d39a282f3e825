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
 * A real Apache Kafka broker in KRaft combined mode (broker and controller in one node) inside this JVM.
 *
 * <p>The data directory is either given (and kept, so a restarted broker finds its topics) or a temporary
 * one that {@link #close()} deletes. Settings make a single node behave: internal topics with replication
 * factor 1 (otherwise consumer groups and transactions hang) and a small log-cleaner buffer (keeps RSS near 250 MB).
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final int NODE_ID = 1;
    private static final int BIND_ATTEMPTS = 5;

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final Map<String, String> adminProperties;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path dataDir, boolean deleteOnClose,
                          Map<String, String> adminProperties) {
        this.server = server;
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
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            Files2.deleteRecursively(dataDir);
        }
    }

    public static final class Builder {
        private int port;
        private Path dataDir;
        private final Map<String, String> overrides = new HashMap<>();
        private String adminUser;
        private String adminSecret;

        /** Port of the client listener; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
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
                    int brokerPort = port != 0 ? port : FreePorts.find();
                    int controllerPort = FreePorts.find();
                    try {
                        return startOn(dir, brokerPort, controllerPort, temporary);
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

        private EmbeddedKafka startOn(Path dir, int brokerPort, int controllerPort, boolean temporary) {
            Map<String, String> props = brokerProperties(dir, brokerPort, controllerPort);
            KafkaConfig config = new KafkaConfig(props, false);
            format(dir);
            Map<String, String> admin = adminUser == null ? Map.of() : Map.of(
                    "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512",
                    "sasl.jaas.config", jaas("org.apache.kafka.common.security.scram.ScramLoginModule", ""));
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            try {
                server.startup();
            } catch (RuntimeException e) {
                server.shutdown();
                server.awaitShutdown();
                throw e;
            }
            String bootstrap = "127.0.0.1:" + brokerPort;
            EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap, dir, temporary, admin);
            try {
                awaitReady(kafka);
            } catch (RuntimeException e) {
                kafka.close();
                throw e;
            }
            return kafka;
        }

        private Map<String, String> brokerProperties(Path dir, int brokerPort, int controllerPort) {
            Map<String, String> p = new HashMap<>();
            p.put("process.roles", "broker,controller");
            p.put("node.id", String.valueOf(NODE_ID));
            p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
            p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("controller.listener.names", "CONTROLLER");
            p.put("inter.broker.listener.name", "PLAINTEXT");
            if (adminUser != null) {
                secure(p, brokerPort, controllerPort);
            }
            p.put("log.dirs", dir.resolve("data").toString());
            p.put("metadata.log.dir", dir.resolve("meta").toString());
            // One node: internal topics cannot have more replicas than that.
            p.put("offsets.topic.replication.factor", "1");
            p.put("offsets.topic.num.partitions", "5");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("transaction.state.log.num.partitions", "5");
            p.put("share.coordinator.state.topic.replication.factor", "1");
            p.put("share.coordinator.state.topic.min.isr", "1");
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
            p.put("num.network.threads", "2");
            p.put("num.io.threads", "4");
            p.putAll(overrides);
            return p;
        }

        private void secure(Map<String, String> p, int brokerPort, int controllerPort) {
            p.put("listeners", "CLIENT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.put("advertised.listeners", "CLIENT://127.0.0.1:" + brokerPort);
            p.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
            p.put("inter.broker.listener.name", "CLIENT");
            p.put("listener.name.client.sasl.enabled.mechanisms", "SCRAM-SHA-512");
            p.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
            p.put("listener.name.client.scram-sha-512.sasl.jaas.config",
                    jaas("org.apache.kafka.common.security.scram.ScramLoginModule", ""));
            p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
            p.put("sasl.mechanism.controller.protocol", "PLAIN");
            p.put("listener.name.controller.plain.sasl.jaas.config", jaas("org.apache.kafka.common.security.plain.PlainLoginModule",
                    " user_" + adminUser + "=\"" + adminSecret + "\""));
            p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            p.put("super.users", "User:" + adminUser);
            p.put("allow.everyone.if.no.acl.found", "false");
        }

        private String jaas(String module, String more) {
            return module + " required username=\"" + adminUser + "\" password=\"" + adminSecret + "\"" + more + ";";
        }

        private void format(Path dir) {
            try {
                new Formatter()
                        .setScramArguments(adminUser == null ? List.of()
                                : List.of("SCRAM-SHA-512=[name=" + adminUser + ",password=" + adminSecret + "]"))
                        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                        .setNodeId(NODE_ID)
                        .setClusterId(existingClusterId(dir).orElseGet(() -> Uuid.randomUuid().toString()))
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
            Path meta = dir.resolve("meta").resolve("meta.properties");
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

        private static void awaitReady(EmbeddedKafka kafka) {
            try (Admin admin = kafka.admin()) {
                Await.until(Duration.ofSeconds(30), "embedded broker " + kafka.bootstrapServers + " to answer", () -> {
                    try {
                        return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
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
