package dev.mesh.local;

import dev.mesh.finance.FinanceApplication;
import dev.mesh.marketing.MarketingApplication;
import dev.mesh.registry.EmbeddedRegistry;
import dev.mesh.sales.SalesApplication;
import dev.mesh.service.DomainService;
import dev.mesh.testkit.EmbeddedKafka;
import dev.mesh.sdk.Product;
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
 * The mesh on one machine, in this JVM: a Kafka broker keeping its data under {@code dataDir}, the registry, and
 * the sales, finance and marketing services with their Streams apps and (at {@code generatorRate}) their
 * generators. Or only the services, against an existing cluster and registry.
 */
public final class LocalMesh implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalMesh.class);

    private final Settings settings;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, String> urls = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private String bootstrapServers;
    private String registryUrl;
    /** Present when this mesh runs its own, secured, Kafka. */
    private Optional<CredentialStore> credentials = Optional.empty();

    /**
     * @param kafkaPort etc.: 0 picks a free port
     * @param bootstrapServers / registryUrl: use these instead of starting Kafka / the registry
     */
    public record Settings(Path dataDir, int kafkaPort, int registryPort, int salesPort, int financePort,
                           int marketingPort, double generatorRate, Optional<String> bootstrapServers,
                           Optional<String> registryUrl) {

        /** The defaults of the design: Kafka 9092, registry 8081, sales 8101, finance 8102, marketing 8103. */
        public static Settings defaults(Path dataDir) {
            return new Settings(dataDir, 9092, 8081, 8101, 8102, 8103, 2.0, Optional.empty(), Optional.empty());
        }

        /** Free ports everywhere, for tests. */
        public static Settings ephemeral(Path dataDir, double generatorRate) {
            return new Settings(dataDir, 0, 0, 0, 0, 0, generatorRate, Optional.empty(), Optional.empty());
        }
    }

    private LocalMesh(Settings settings) {
        this.settings = settings;
    }

    public static LocalMesh start(Settings settings) {
        LocalMesh mesh = new LocalMesh(settings);
        try {
            mesh.startAll();
            return mesh;
        } catch (RuntimeException e) {
            mesh.close();
            throw e;
        }
    }

    private void startAll() {
        if (settings.bootstrapServers().isPresent()) {
            bootstrapServers = settings.bootstrapServers().get();
        } else {
            startSecuredKafka();
        }
        urls.put("kafka", bootstrapServers);
        if (settings.registryUrl().isPresent()) {
            registryUrl = settings.registryUrl().get();
        } else {
            EmbeddedRegistry registry = EmbeddedRegistry.start(bootstrapServers, settings.registryPort(),
                    serviceSettings(MeshPrincipals.REGISTRY));
            started.add(registry);
            registryUrl = registry.url();
        }
        urls.put("registry", registryUrl);
        startDomains(Map.of(SalesApplication.ENV, settings.salesPort(), FinanceApplication.ENV, settings.financePort(),
                MarketingApplication.ENV, settings.marketingPort()));
    }

    /**
     * The mesh's own Kafka is secured: SASL/SCRAM, the standard authorizer, a principal per domain and platform part
     * with a secret kept under {@code <dataDir>/credentials}, and the ACLs the contracts imply.
     */
    private void startSecuredKafka() {
        CredentialStore store = CredentialStore.at(settings.dataDir().resolve("credentials"));
        MeshCredentials admin = MeshAccounts.admin(store);
        EmbeddedKafka kafka = EmbeddedKafka.builder().port(settings.kafkaPort())
                .dataDir(settings.dataDir().resolve("kafka")).secured(admin.user(), admin.secret()).start();
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

    /**
     * The domain services start side by side: each waits on Kafka and the registry much of the time, and none needs
     * another (a Streams app waits for its inputs' topics, created from their contracts). Every service that came up
     * is kept for {@link #close()}, also when another failed.
     */
    private void startDomains(Map<String, Integer> ports) {
        List<String> order = List.of(SalesApplication.ENV, FinanceApplication.ENV, MarketingApplication.ENV);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(order.size());
        try {
            Map<String, java.util.concurrent.Future<EmbeddedServer>> starting = new LinkedHashMap<>();
            order.forEach(env -> starting.put(env, pool.submit(() -> startDomain(env, ports.get(env)))));
            RuntimeException failed = null;
            for (String env : order) {
                try {
                    EmbeddedServer server = starting.get(env).get();
                    started.add(() -> server.getApplicationContext().close());
                    urls.put(env, "http://127.0.0.1:" + server.getPort());
                } catch (java.util.concurrent.ExecutionException e) {
                    failed = failed != null ? failed : e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException("starting " + env + " failed: " + e.getCause(), e.getCause());
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

    private EmbeddedServer startDomain(String env, int port) {
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.port", port == 0 ? -1 : port);
        p.put("micronaut.server.host", "127.0.0.1");
        p.put("kafka.bootstrap.servers", bootstrapServers);
        p.put("schema.registry.url", registryUrl);
        p.putAll(serviceSettings(env));
        p.put("generator.rate", settings.generatorRate());
        p.put("mesh.streams.state.dir", settings.dataDir().resolve("streams").resolve(env).toString());
        // Twice exactly-once's default of 100 ms: measured with SettlementLatency at 1,600 orders/s on 2 cores, 100 ms
        // made settlements slower (p99 445 ms against 314), the commits costing more than the wait they save.
        p.put("mesh.streams.commit.interval.ms", 200);
        long t0 = System.nanoTime();
        EmbeddedServer server = DomainService.start(env, p);
        log.info("{} up at http://127.0.0.1:{} in {} ms", env, server.getPort(), (System.nanoTime() - t0) / 1_000_000);
        return server;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String registryUrl() {
        return registryUrl;
    }

    /** Where everything listens: kafka, registry, sales, finance, marketing. */
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
