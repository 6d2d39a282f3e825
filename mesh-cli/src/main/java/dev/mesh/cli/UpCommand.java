package dev.mesh.cli;

import dev.mesh.catalog.CatalogServer;
import dev.mesh.local.LocalMesh;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.ops.MeshOps;
import dev.mesh.sdk.security.CredentialStore;
import dev.mesh.sdk.security.MeshPrincipals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code mesh up}: Kafka, the registry and every domain's service with their Streams apps and generators, in
 * this JVM, on the design's default ports; data kept in {@code .mesh/}, so the next {@code up} finds its products.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        header = "Run the whole mesh on this machine until Ctrl-C.",
        // one string each, so picocli wraps them whole (its command list shows the header)
        description = {"Runs Kafka, the Schema Registry, a service for every domain (each folder under schemas/products)"
                + " with its Streams apps and traffic generators, and the web catalog, in this JVM.",
                "With --bootstrap and --registry, runs only the services, against an existing cluster and registry whose"
                        + " products `mesh apply` provisioned."})
final class UpCommand implements Callable<Integer> {
    private static final Set<CountDownLatch> RUNNING = ConcurrentHashMap.newKeySet();
    /** How long Ctrl-C waits for the mesh to close: the Streams apps' own close timeout is 30 s each. */
    private static final java.time.Duration CLOSE_TIMEOUT = java.time.Duration.ofSeconds(90);

    @Spec
    CommandSpec spec;
    @Option(names = "--data-dir", description = "Where Kafka and the Streams apps keep their data (default: .mesh)")
    Path dataDir = Path.of(".mesh");
    @Option(names = "--kafka-port", description = "Kafka port (default 9092; 0 = any free)")
    int kafkaPort = 9092;
    @Option(names = "--registry-port", description = "Schema Registry port (default 8081)")
    int registryPort = 8081;
    @Option(names = "--domain-port", paramLabel = "DOMAIN=PORT", description = "A domain service's port, where it is"
            + " not its folder's (products/<domain>/domain.yaml: sales 8101, finance 8102, ...); repeatable")
    Map<String, Integer> domainPorts = new HashMap<>();
    @Option(names = "--free-ports", description = "Every part on a free port (Kafka, the registry, the domains, the"
            + " catalog): for a second mesh beside the first, or tests")
    boolean freePorts;
    @Option(names = "--catalog-port", description = "Web catalog port (default 8080)")
    int catalogPort = 8080;
    @Option(names = "--rate", description = "Generated traffic: steps per second per domain (default 2; 0 = none)")
    double rate = 2;
    @Option(names = {"-b", "--bootstrap"}, description = "Use this Kafka cluster instead of starting one")
    String bootstrap;
    @Option(names = {"-r", "--registry"}, description = "Use this Schema Registry instead of starting one")
    String registry;
    @Option(names = "--brokers", description = "Brokers of the Kafka it starts, beside a KRaft controller (default 1;"
            + " from 3 on, every topic gets 3 replicas and min.insync.replicas=2)")
    int brokers = 1;
    @Option(names = "--instances", description = "Instances of the registry and of each service (default 1); instance i"
            + " listens on the first's port + 100 (i - 1)")
    int instances = 1;
    @Option(names = "--status-interval", description = "Seconds between status lines (default 5)")
    int statusInterval = 5;

    /** Stops every running {@code up} of this JVM, as Ctrl-C does (for tests that run it in-process). */
    static void stopAll() {
        RUNNING.forEach(CountDownLatch::countDown);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        LocalMesh.Settings shape;
        try {
            java.util.List<String> domains = dev.mesh.sdk.Domains.all().stream().map(dev.mesh.sdk.contract.DomainDescriptor::name).toList();
            domainPorts.keySet().stream().filter(name -> !domains.contains(name)).findFirst().ifPresent(name -> {
                throw new IllegalArgumentException("--domain-port " + name + "=...: there is no domain " + name + "; the domains are " + domains);
            });
            if (freePorts) {
                kafkaPort = registryPort = catalogPort = 0;
                domainPorts.put(LocalMesh.Settings.EVERY_DOMAIN, 0);
            }
            shape = new LocalMesh.Settings(dataDir, kafkaPort, registryPort, domainPorts, rate,
                    Optional.ofNullable(bootstrap), Optional.ofNullable(registry), brokers, instances);
        } catch (IllegalArgumentException e) {
            // the settings check their own combination (--brokers, --instances, --bootstrap): a usage error
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        out.println("Starting the mesh" + (bootstrap == null ? " (data in " + dataDir.toAbsolutePath() + ")" : "") + "...");
        out.flush();
        if (catalogPort != 0) {
            // the services send their OpenLineage events to the catalog, which starts after them: until it listens
            // a run's START is lost, and its next RUNNING (every minute) carries the same datasets
            shape = shape.withLineage("http://127.0.0.1:" + catalogPort);
        }
        LocalMesh mesh = LocalMesh.prepare(shape);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        RUNNING.add(stop);
        // On Ctrl-C or SIGTERM the JVM exits once its hooks return: this one stops a start in progress and waits for
        // the close below, so Kafka Streams writes its checkpoints and the broker shuts down cleanly (else the next
        // start restores everything), at any moment from here on
        Thread hook = new Thread(() -> {
            stop.countDown();
            mesh.abort();
            try {
                if (!stopped.await(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    System.err.println("mesh: still closing after " + CLOSE_TIMEOUT.toSeconds() + " s; exiting anyway");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mesh-up-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        io.micronaut.runtime.server.EmbeddedServer catalog;
        try {
            mesh.start();
            if (stop.getCount() == 0) {
                throw new LocalMesh.StartAborted();
            }
            Map<String, Object> settings = new HashMap<>(mesh.serviceSettings(MeshPrincipals.CATALOG));
            settings.putAll(Map.of("micronaut.server.port", catalogPort == 0 ? -1 : catalogPort,
                    "micronaut.server.host", "127.0.0.1", "kafka.bootstrap.servers", mesh.bootstrapServers(),
                    "schema.registry.url", mesh.registryUrl(),
                    "catalog.sql.cache-dir", dataDir.resolve("catalog-sql").toAbsolutePath().toString()));
            catalog = CatalogServer.start(settings);
        } catch (RuntimeException | Error e) {
            mesh.close();
            RUNNING.remove(stop);
            // asked to stop: what failed since (Kafka refuses to start once the JVM is shutting down) is the stop's doing
            boolean stopping = stop.getCount() == 0;
            if (stopping) {
                out.println("Stopped while starting.");
                out.flush();
            } else {
                removeHook(hook);
            }
            stopped.countDown();
            if (stopping) {
                return 0;
            }
            throw e;
        }
        Map<String, Object> ops = new HashMap<>(mesh.clientConfig(MeshPrincipals.ADMIN));
        ops.put(Mesh.APP, "mesh-up");
        Mesh client = Mesh.connect(ops);
        java.nio.file.Path catalogUrl = null;
        try {
            out.printf("Mesh up in %.1f s:%n", (System.nanoTime() - started) / 1e9);
            mesh.urls().forEach((name, url) -> out.printf("  %-10s %s%n", name, url));
            out.printf("  %-10s %s%n", "catalog", "http://127.0.0.1:" + catalog.getPort());
            if (bootstrap == null) {
                // mesh products asks this catalog, which measures in the background, instead of measuring itself
                catalogUrl = dataDir.resolve("catalog.url");
                java.nio.file.Files.writeString(catalogUrl, "http://127.0.0.1:" + catalog.getPort() + "\n");
            }
            mesh.credentials().ifPresent(store -> credentialsHelp(out, store, mesh));
            out.println("Try: ./mesh products | ./mesh tail sales.orders -n 5 | curl " + mesh.url("finance") + "/health");
            out.println("Ctrl-C stops the mesh.");
            out.flush();
            status(out, new MeshOps(client), stop, started, mesh);
        } finally {
            out.println("Stopping the mesh...");
            if (catalogUrl != null) {
                try {
                    java.nio.file.Files.deleteIfExists(catalogUrl);
                } catch (java.io.IOException e) {
                    // a later mesh products finds no catalog there and asks Kafka
                }
            }
            out.flush();
            client.close();
            catalog.getApplicationContext().close();
            mesh.close();
            RUNNING.remove(stop);
            removeHook(hook);
            out.println("Stopped.");
            out.flush();
            stopped.countDown();
        }
        return 0;
    }

    /** Where the secrets are and how each tool takes them; never a secret itself. */
    private static void credentialsHelp(PrintWriter out, CredentialStore store, LocalMesh mesh) {
        Path admin = store.clientProperties(MeshPrincipals.ADMIN);
        out.println("Secured: SASL/SCRAM-SHA-512 and ACLs from the contracts. A client.properties per principal in "
                + store.dir().toAbsolutePath() + " (admin, registry, catalog and each domain):");
        out.println("  ./mesh ... uses admin.properties there by default, or --config <file>");
        out.println("  kafka-console-consumer.sh --bootstrap-server " + mesh.bootstrapServers()
                + " --consumer.config " + admin + " --topic sales.orders.v2");
        out.println("  kcat -b " + mesh.bootstrapServers() + " -F " + store.dir().resolve(MeshPrincipals.ADMIN + ".kcat.conf") + " -L"
                + "   (librdkafka >= 2.6.1; older kcat builds, Debian 12's among them, cannot sign in with SCRAM to Kafka 4)");
        out.println("  curl -u sales:<basic.auth.user.info secret in sales.properties> " + mesh.registryUrl() + "/subjects");
    }

    /**
     * Which instance runs which tasks of each Streams app, and keeps which standby copies, once no app rebalances;
     * empty while one does, as tasks read then may be moving.
     */
    private static Optional<String> settledAssignments(LocalMesh mesh) {
        if (!mesh.streamsRunning()) {
            return Optional.empty();
        }
        StringBuilder block = new StringBuilder(
                "Instances (Streams tasks as <sub-topology>_<partition>; a lookup on any instance answers for every key):")
                .append(System.lineSeparator());
        mesh.assignments().forEach((instance, apps) -> {
            block.append(String.format("  %-12s %s%n", instance, mesh.url(instance)));
            apps.forEach((app, tasks) -> block.append(String.format("      %-28s %s%n", app, tasks)));
        });
        return mesh.streamsRunning() ? Optional.of(block.toString()) : Optional.empty();
    }

    /** Prints records/s per product and total consumer lag until stopped; notes the first derived record. */
    private void status(PrintWriter out, MeshOps ops, CountDownLatch stop, long started, LocalMesh mesh) throws InterruptedException {
        Map<String, Long> previous = new HashMap<>();
        boolean firstDerived = false;
        String assigned = "";
        long last = System.nanoTime();
        // every 100 ms until the first: one request for the committed ends of every derived product's partitions
        List<org.apache.kafka.common.TopicPartition> derived = Product.all().stream().map(Product::contract)
                .filter(c -> c.isDerived())
                .flatMap(c -> java.util.stream.IntStream.range(0, c.topic().partitions())
                        .mapToObj(i -> new org.apache.kafka.common.TopicPartition(c.topicName(), i)))
                .toList();
        while (!stop.await(firstDerived ? TimeUnit.SECONDS.toMillis(statusInterval) : 100, TimeUnit.MILLISECONDS)) {
            try {
                if (!firstDerived) {
                    if (ops.topics().anyCommitted(derived)) {
                        firstDerived = true;
                        out.printf("First derived record %.1f s after start.%n", (System.nanoTime() - started) / 1e9);
                        out.flush();
                    }
                    continue;
                }
                if (instances > 1) {
                    // again after every rebalance that moves a task, so the last block printed is what runs now
                    Optional<String> block = settledAssignments(mesh);
                    if (block.isPresent() && !block.get().equals(assigned)) {
                        assigned = block.get();
                        out.print(assigned);
                        out.flush();
                    }
                }
                dev.mesh.sdk.catalog.CatalogSnapshot catalog = ops.catalog();
                List<ProductEntry> products = catalog.allProducts().stream()
                        .sorted(java.util.Comparator.comparing(ProductEntry::topic)).toList();
                Map<String, Long> ends = new HashMap<>();
                for (ProductEntry p : products) {
                    ends.put(p.topic(), ops.endOffset(p.topic()));
                }
                double seconds = (System.nanoTime() - last) / 1e9;
                last = System.nanoTime();
                StringBuilder line = new StringBuilder(LocalTime.now().format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")));
                for (ProductEntry p : products) {
                    long delta = ends.get(p.topic()) - previous.getOrDefault(p.topic(), ends.get(p.topic()));
                    line.append(String.format("  %s %.1f/s", catalog.nameOf(p), delta / seconds));
                }
                long lag = ops.lag(Optional.empty()).stream().mapToLong(l -> l.records()).sum();
                line.append("  | consumer lag ").append(lag);
                previous.putAll(ends);
                out.println(line);
                out.flush();
            } catch (RuntimeException e) {
                out.println("status unavailable: " + e.getMessage());
                out.flush();
            }
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // Ctrl-C: the JVM is already on its way out
        }
    }
}
