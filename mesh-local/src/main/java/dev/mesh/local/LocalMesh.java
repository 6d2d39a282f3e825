package dev.mesh.local;

import dev.mesh.registry.EmbeddedRegistry;
import dev.mesh.sdk.Domains;
import dev.mesh.sdk.contract.DomainDescriptor;
import dev.mesh.service.DomainService;
import dev.mesh.service.StreamsApps;
import dev.mesh.testkit.EmbeddedKafka;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.kafka.Topics;
import dev.mesh.sdk.provision.ProvisionPlan;
import dev.mesh.sdk.access.AccessChanges;
import dev.mesh.sdk.security.CredentialStore;
import dev.mesh.sdk.access.MeshAccounts;
import dev.mesh.sdk.security.MeshCredentials;
import dev.mesh.sdk.security.MeshPrincipals;
import dev.mesh.sdk.security.ScramUsers;
import dev.mesh.service.security.MeshSecurity;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The mesh on one machine, in this JVM: Kafka keeping its data under {@code dataDir}, the registry, and a service
 * for every domain ({@link Domains#all()}: the product folders) with its Streams apps and (at {@code generatorRate})
 * its generators. Or only the
 * services, against an existing cluster and registry. Shaped as on a real cluster when asked: {@code brokers} brokers
 * beside a KRaft controller, and {@code instances} instances of every service (the registry's elect a leader; a
 * service's share its Streams apps' partitions and answer lookups for each other).
 */
public final class LocalMesh implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalMesh.class);

    private final Settings settings;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, String> urls = new LinkedHashMap<>();
    /** Every domain service instance by name ("finance", "finance-2", ...). */
    private final Map<String, EmbeddedServer> instances = new LinkedHashMap<>();
    private final Map<String, io.micronaut.context.ApplicationContext> contexts = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private String bootstrapServers;
    private String registryUrl;
    /** Present when this mesh runs its own, secured, Kafka. */
    private Optional<CredentialStore> credentials = Optional.empty();

    /**
     * @param kafkaPort etc.: 0 picks a free port
     * @param domainPorts a domain's service port where it is not its folder's ({@code domain.yaml}); {@link #EVERY_DOMAIN}
     *                    stands for every domain not named
     * @param bootstrapServers / registryUrl: use these instead of starting Kafka / the registry
     * @param brokers how many brokers the mesh's own Kafka has (1: one combined node)
     * @param instances how many instances of the registry and of each service; instance i > 1 listens on the first's
     *                  port + 100 (i - 1)
     * @param lineageUrl where the domain services send their publishers' and Streams apps' OpenLineage events (the
     *                   catalog's URL: it takes them at {@code /api/v1/lineage}), each signed in as itself; none when empty
     */
    public record Settings(Path dataDir, int kafkaPort, int registryPort, Map<String, Integer> domainPorts,
                           double generatorRate, Optional<String> bootstrapServers,
                           Optional<String> registryUrl, int brokers, int instances, Optional<String> lineageUrl) {
        public static final String EVERY_DOMAIN = "*";

        public Settings(Path dataDir, int kafkaPort, int registryPort, Map<String, Integer> domainPorts,
                        double generatorRate, Optional<String> bootstrapServers, Optional<String> registryUrl, int brokers, int instances) {
            this(dataDir, kafkaPort, registryPort, domainPorts, generatorRate, bootstrapServers,
                    registryUrl, brokers, instances, Optional.empty());
        }

        /** The same mesh, its services sending OpenLineage events to {@code url}. */
        public Settings withLineage(String url) {
            return new Settings(dataDir, kafkaPort, registryPort, domainPorts, generatorRate,
                    bootstrapServers, registryUrl, brokers, instances, Optional.of(url));
        }

        /** Where {@code domain}'s first instance listens. */
        int portOf(DomainDescriptor domain) {
            return domainPorts.getOrDefault(domain.name(), domainPorts.getOrDefault(EVERY_DOMAIN, domain.port()));
        }

        public Settings {
            domainPorts = Map.copyOf(domainPorts);
            if (brokers < 1 || instances < 1) {
                throw new IllegalArgumentException("--brokers and --instances must be at least 1, were " + brokers + " and " + instances);
            }
            if (brokers > 1 && bootstrapServers.isPresent()) {
                throw new IllegalArgumentException("--brokers sizes the Kafka the mesh starts; with --bootstrap it starts none");
            }
        }

        /** The defaults of the design: Kafka 9092, registry 8081, each domain on its folder's port (sales 8101, ...). */
        public static Settings defaults(Path dataDir) {
            return new Settings(dataDir, 9092, 8081, Map.of(), 2.0, Optional.empty(), Optional.empty(), 1, 1);
        }

        /** Free ports everywhere, for tests. */
        public static Settings ephemeral(Path dataDir, double generatorRate) {
            return new Settings(dataDir, 0, 0, Map.of(EVERY_DOMAIN, 0), generatorRate, Optional.empty(), Optional.empty(), 1, 1);
        }

        /** Under the data dir, a directory per shape: a single node's data does not fit a cluster's. */
        Path kafkaDir() {
            return dataDir.resolve(brokers == 1 ? "kafka" : "kafka-" + brokers + "-brokers");
        }

        Path streamsDir() {
            return dataDir.resolve(brokers == 1 ? "streams" : "streams-" + brokers + "-brokers");
        }
    }

    private LocalMesh(Settings settings) {
        this.settings = settings;
    }

    public static LocalMesh start(Settings settings) {
        return prepare(settings).start();
    }

    /** A mesh not started yet: {@link #start()} starts it, {@link #abort()} may stop that start from another thread. */
    public static LocalMesh prepare(Settings settings) {
        return new LocalMesh(settings);
    }

    /** Starts every part; on a failure, or when {@link #abort() aborted}, closes what had started and throws. */
    public LocalMesh start() {
        try {
            startAll();
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Asks a start in progress (another thread's) to stop before its next part: a SIGTERM during start-up then stops
     * the mesh as cleanly as one after it, instead of waiting for every service to come up first.
     */
    public void abort() {
        aborted.set(true);
    }

    /** A start {@link #abort() aborted} before it finished; what had started is closed. */
    public static final class StartAborted extends RuntimeException {
        public StartAborted() {
            super("the mesh was asked to stop while starting");
        }
    }

    private void unlessAborted() {
        if (aborted.get()) {
            throw new StartAborted();
        }
    }

    private void startAll() {
        java.util.concurrent.CompletableFuture<Void> productTopics = java.util.concurrent.CompletableFuture.completedFuture(null);
        if (settings.bootstrapServers().isPresent()) {
            bootstrapServers = settings.bootstrapServers().get();
        } else {
            startSecuredKafka();
            unlessAborted();
            productTopics = createProductTopics();
        }
        urls.put("kafka", bootstrapServers);
        if (settings.registryUrl().isPresent()) {
            registryUrl = settings.registryUrl().get();
        } else {
            List<String> registries = new ArrayList<>();
            for (int i = 1; i <= settings.instances(); i++) {
                EmbeddedRegistry registry = EmbeddedRegistry.start(bootstrapServers, instancePort(settings.registryPort(), i),
                        serviceSettings(MeshPrincipals.REGISTRY));
                started.add(registry);
                unlessAborted();
                registries.add(registry.url());
                contexts.put(i == 1 ? "registry" : "registry-" + i, registry.context());
            }
            // Confluent's clients take several registry URLs and try the next when one does not answer
            registryUrl = String.join(",", registries);
        }
        urls.put("registry", registryUrl);
        try {
            productTopics.join();
        } catch (java.util.concurrent.CompletionException e) {
            // the cause says which product's topic could not be created; the wrapper would only repeat it
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        unlessAborted();
        startDomains(Domains.all());
        unlessAborted();
    }

    /**
     * The mesh's own Kafka is secured: SASL/SCRAM, the standard authorizer, a principal per domain and platform part
     * with a secret kept under {@code <dataDir>/credentials}, and the ACLs the contracts imply.
     */
    private void startSecuredKafka() {
        CredentialStore store = CredentialStore.at(settings.dataDir().resolve("credentials"));
        MeshCredentials admin = MeshAccounts.admin(store);
        EmbeddedKafka kafka = EmbeddedKafka.builder().port(settings.kafkaPort()).brokers(settings.brokers())
                .dataDir(settings.kafkaDir()).secured(admin.user(), admin.secret())
                // readers may create consumer DLQs under a product's name: only those, and small
                .brokerProperty("create.topic.policy.class.name", dev.mesh.sdk.access.ReaderTopicPolicy.class.getName())
                .start();
        started.add(kafka);
        bootstrapServers = kafka.bootstrapServers();
        credentials = Optional.of(store);
        try (Admin client = kafka.admin()) {
            List<dev.mesh.sdk.contract.ProductContract> contracts = Product.all().stream().map(Product::contract).toList();
            AccessChanges applied = MeshAccounts.provision(client, store, contracts);
            ScramUsers.awaitSignIn(bootstrapServers, MeshAccounts.ensureAll(store, contracts), java.time.Duration.ofSeconds(30));
            if (!applied.missing().isEmpty()) {
                log.info("granted {} ACLs the contracts imply", applied.missing().size());
            }
        }
    }

    /**
     * The plan's topics (every product's topic and DLQ, and the mesh's own), applied as the admin while the registry
     * starts: {@code mesh up} runs {@code mesh apply} itself, so no publisher or Streams app finds its product
     * unprovisioned and no reader waits for its owner's service. A conflict (a topic with more partitions than its
     * contract) stops the start with the plan's words.
     */
    private java.util.concurrent.CompletableFuture<Void> createProductTopics() {
        Map<String, Object> config = new HashMap<>(credentials(credentials.orElseThrow(), MeshPrincipals.ADMIN).kafkaProperties());
        config.put("bootstrap.servers", bootstrapServers);
        short replicas = Topics.replicationFactor(settings.brokers());
        List<dev.mesh.sdk.contract.ProductContract> contracts = Product.all().stream().map(Product::contract).toList();
        return java.util.concurrent.CompletableFuture.runAsync(() -> {
            try (Admin admin = Admin.create(config)) {
                var applied = ProvisionPlan.topics(admin, contracts, replicas).apply(false);
                if (!applied.isEmpty()) {
                    log.info("applied the plan: {} topic changes ({} created)", applied.size(),
                            applied.stream().filter(c -> c.kind() == dev.mesh.sdk.provision.PlannedChange.Kind.CREATE).count());
                }
            }
        });
    }

    /**
     * The settings of a Micronaut service of the mesh running as {@code user}: its Kafka clients' ({@code kafka.*}) and
     * registry client's credentials, and basic auth against the mesh's realm on its own endpoints. Empty against an
     * outside cluster, whose security comes from the environment ({@code KAFKA_SECURITY_PROTOCOL}, ...).
     */
    public Map<String, Object> serviceSettings(String user) {
        Map<String, Object> p = new HashMap<>();
        credentials.ifPresent(store -> {
            MeshCredentials c = credentials(store, user);
            c.kafkaProperties().forEach((k, v) -> p.put("kafka." + k, v));
            p.putAll(c.registryProperties());
            p.putAll(MeshSecurity.settings(store.realm()));
            if (user.equals(MeshPrincipals.REGISTRY)) {
                p.put(CredentialStore.ENCRYPTION_SECRET, store.localKmsSecret());
            }
        });
        return p;
    }

    private static MeshCredentials credentials(CredentialStore store, String user) {
        return store.find(user).orElseThrow(() -> new IllegalArgumentException("the mesh has no principal " + user));
    }

    /** Everything a client of the mesh needs to connect as {@code user}: addresses and, when secured, credentials. */
    public Map<String, Object> clientConfig(String user) {
        Map<String, Object> p = new HashMap<>();
        credentials.ifPresent(store -> p.putAll(credentials(store, user).clientProperties()));
        p.put("bootstrap.servers", bootstrapServers);
        p.put("schema.registry.url", registryUrl);
        return p;
    }

    /** Where the mesh's credentials are (one {@code <principal>.properties} each), when it runs its own Kafka. */
    public Optional<CredentialStore> credentials() {
        return credentials;
    }

    /** Instance {@code number} of a domain service: "finance", then "finance-2", ... */
    private record Instance(String env, int number) {
        String name() {
            return number == 1 ? env : env + "-" + number;
        }
    }

    /** Instance i > 1 of a part listens on the first's port + 100 (i - 1); 0 stays "any free port". */
    private static int instancePort(int port, int instance) {
        return port == 0 ? 0 : port + 100 * (instance - 1);
    }

    /**
     * The domain services start side by side: each waits on Kafka and the registry much of the time, and none needs
     * another (a Streams app waits for its inputs' topics, created from their contracts). Every service that came up
     * is kept for {@link #close()}, also when another failed.
     */
    private void startDomains(List<DomainDescriptor> domains) {
        Map<String, Integer> ports = new HashMap<>();
        domains.forEach(d -> ports.put(d.name(), settings.portOf(d)));
        List<Instance> all = new ArrayList<>();
        for (int i = 1; i <= settings.instances(); i++) {
            for (DomainDescriptor domain : domains) {
                all.add(new Instance(domain.name(), i));
            }
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(all.size());
        List<EmbeddedServer> up = new java.util.concurrent.CopyOnWriteArrayList<>();
        // closed side by side, as they started: each waits on the broker for most of its close
        started.add(() -> closeSideBySide(up));
        try {
            Map<String, java.util.concurrent.Future<EmbeddedServer>> starting = new LinkedHashMap<>();
            all.forEach(instance -> starting.put(instance.name(), pool.submit(() -> startDomain(instance.env(), instance.name(),
                    instancePort(ports.get(instance.env()), instance.number())))));
            RuntimeException failed = null;
            for (String name : starting.keySet()) {
                try {
                    EmbeddedServer server = starting.get(name).get();
                    up.add(server);
                    instances.put(name, server);
                    urls.put(name, "http://127.0.0.1:" + server.getPort());
                } catch (java.util.concurrent.ExecutionException e) {
                    failed = failed != null ? failed : e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException("starting " + name + " failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted starting the domain services", e);
                }
            }
            if (failed != null) {
                throw failed;
            }
        } finally {
            pool.shutdown();
        }
    }

    private static String serviceName(EmbeddedServer server) {
        try {
            return String.join(",", server.getApplicationContext().getEnvironment().getActiveNames());
        } catch (RuntimeException stopped) {
            return "(stopped)";
        }
    }

    private static void closeSideBySide(List<EmbeddedServer> servers) throws InterruptedException {
        List<Thread> closing = new ArrayList<>();
        for (EmbeddedServer server : servers) {
            // not named by its port: a server stopped already (by its owner, or failed) has none, and asking would throw
            // here and leave every service after it running
            String name = serviceName(server);
            Thread closer = new Thread(() -> {
                try {
                    server.getApplicationContext().close();
                } catch (RuntimeException e) {
                    log.warn("stopping the service {} failed: {}", name, e.toString());
                }
            }, "close-" + name);
            closing.add(closer);
            closer.start();
        }
        for (Thread closer : closing) {
            closer.join();
        }
    }

    private EmbeddedServer startDomain(String env, String name, int port) {
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.port", port == 0 ? -1 : port);
        p.put("micronaut.server.host", "127.0.0.1");
        p.put("kafka.bootstrap.servers", bootstrapServers);
        p.put("schema.registry.url", registryUrl);
        p.putAll(serviceSettings(env));
        // every instance is told the whole rate: generators divide it among the instances their Streams groups see
        p.put("generator.rate", settings.generatorRate());
        p.put("mesh.streams.state.dir", settings.streamsDir().resolve(name).toString());
        // After a kill -9 the restarted apps' groups wait for the dead members' sessions to end (45 s by default), and
        // an app closed meanwhile waits in that rebalance; on one machine a member whose heartbeats stop for 15 s is gone
        p.putIfAbsent("mesh.streams.session.timeout.ms", "15000");
        // ... and a restarted instance takes its predecessor's place without waiting for that at all (static members).
        // The data dir is part of the name: two meshes sharing an outside cluster must not fence each other's members.
        p.put(dev.mesh.sdk.Mesh.INSTANCE, name + "." + Integer.toHexString(settings.dataDir().toAbsolutePath().normalize().hashCode()));
        settings.lineageUrl().ifPresent(url -> {
            p.put("openlineage.transport.type", "http");
            p.put("openlineage.transport.url", url);
            p.put("openlineage.transport.endpoint", "/api/v1/lineage");
            credentials.ifPresent(store -> p.put("openlineage.transport.headers.Authorization", credentials(store, env).basicAuth()));
        });
        long t0 = System.nanoTime();
        EmbeddedServer server = DomainService.start(env, p);
        log.info("{} up at http://127.0.0.1:{} in {} ms", name, server.getPort(), (System.nanoTime() - t0) / 1_000_000);
        return server;
    }

    /**
     * Which instance serves what: per service instance, per Streams app, the tasks it runs (active) and keeps a copy
     * of (standby), as "0_1" (sub-topology_partition). An app not running yet shows its state instead.
     */
    public Map<String, Map<String, String>> assignments() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        instances.forEach((name, server) -> {
            StreamsApps apps = server.getApplicationContext().getBean(StreamsApps.class);
            Map<String, String> byApp = new LinkedHashMap<>();
            apps.states().forEach((app, state) -> byApp.put(app, apps.app(app)
                    .filter(s -> s.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING)
                    .map(LocalMesh::tasks).orElse(state.toString())));
            out.put(name, byApp);
        });
        return out;
    }

    /** Whether every Streams app of every instance runs (no rebalance going on): when {@link #assignments()} is settled. */
    public boolean streamsRunning() {
        return instances.values().stream().allMatch(server -> server.getApplicationContext().getBean(StreamsApps.class)
                .states().values().stream().allMatch(state -> state == org.apache.kafka.streams.KafkaStreams.State.RUNNING));
    }

    private static String tasks(org.apache.kafka.streams.KafkaStreams app) {
        java.util.TreeSet<String> active = new java.util.TreeSet<>();
        java.util.TreeSet<String> standby = new java.util.TreeSet<>();
        app.metadataForLocalThreads().forEach(t -> {
            t.activeTasks().forEach(task -> active.add(task.taskId().toString()));
            t.standbyTasks().forEach(task -> standby.add(task.taskId().toString()));
        });
        return "active " + (active.isEmpty() ? "-" : String.join(" ", active))
                + (standby.isEmpty() ? "" : " | standby " + String.join(" ", standby));
    }

    /** The Micronaut context of each service this mesh runs (registries, domain instances), by name. */
    public Map<String, io.micronaut.context.ApplicationContext> contexts() {
        Map<String, io.micronaut.context.ApplicationContext> all = new LinkedHashMap<>(contexts);
        instances.forEach((name, server) -> all.put(name, server.getApplicationContext()));
        return all;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String registryUrl() {
        return registryUrl;
    }

    /** Where everything listens: kafka, registry, each domain by name (and "finance-2"... with more instances). */
    public Map<String, String> urls() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(urls));
    }

    public String url(String service) {
        return urls.get(service);
    }

    /** Stops the services, then the registry, then Kafka; safe to call twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                log.warn("stopping a part of the mesh failed: {}", e.toString());
            }
        }
    }
}
