package dev.mesh.cli;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.access.AccessChanges;
import dev.mesh.sdk.access.AccessLedger;
import dev.mesh.sdk.access.AccessPlan;
import dev.mesh.sdk.access.ClusterAcls;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.loader.ContractLoader;
import dev.mesh.sdk.security.CredentialStore;
import dev.mesh.sdk.access.MeshAccounts;
import dev.mesh.sdk.security.MeshCredentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code mesh access plan|apply}: the cluster's ACLs as the contracts (and the marketplace's grants) imply them;
 * {@code request|list|approve|deny|revoke}: the marketplace.
 */
@Command(name = "access", mixinStandardHelpOptions = true,
        description = {"Kafka ACLs derived from the contracts and the grants: who writes, who reads, which groups and transactional ids.",
                "Access requests: request, list, approve, deny, revoke (through the catalog, as the principal of --config)."},
        subcommands = {AccessCommand.Plan.class, AccessCommand.Apply.class, AccessCommand.Credentials.class, AccessCommand.Init.class,
                MarketplaceCommands.Request.class, MarketplaceCommands.ListRequests.class, MarketplaceCommands.Approve.class,
                MarketplaceCommands.Deny.class, MarketplaceCommands.Revoke.class})
final class AccessCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The contracts to derive from: a folder's, or those of the product jars on the class path. */
    static final class Contracts {
        @Option(names = "--contracts", paramLabel = "<dir>",
                description = "Derive from every contract.yaml under this folder (default: the mesh's published products)")
        Path dir;

        List<ProductContract> load() {
            if (dir == null) {
                return Product.all().stream().map(Product::contract).toList();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(f -> f.getFileName().toString().equals("contract.yaml")).sorted()
                        .map(ContractLoader::load).toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read contracts under " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = {"Print the ACL changes the contracts imply against the cluster, changing nothing.",
                    "+ to add, ? declared by no contract (drift), ! conflict. Exit 0: nothing to do, 1: changes, 2: drift or conflict."})
    static final class Plan implements java.util.concurrent.Callable<Integer> {
        @Mixin
        Connection connection;
        @Mixin
        Contracts contracts;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            AccessChanges changes;
            try (Mesh mesh = Mesh.connect(connection.properties())) {
                changes = ClusterAcls.plan(mesh.admin(), planOf(mesh, contracts));
            }
            print(spec.commandLine().getOut(), changes, connection.json, "plan");
            return changes.exitCode();
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = {"Create the ACLs the contracts imply and the cluster lacks; report ACLs no contract declares.",
                    "Refuses (exit 2) while contracts conflict. Needs an admin principal."})
    static final class Apply implements java.util.concurrent.Callable<Integer> {
        @Mixin
        Connection connection;
        @Mixin
        Contracts contracts;
        @Option(names = "--prune", description = "Also delete the ACLs no contract declares")
        boolean prune;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Mesh mesh = Mesh.connect(connection.properties())) {
                AccessChanges changes = ClusterAcls.plan(mesh.admin(), planOf(mesh, contracts));
                if (!changes.conflicts().isEmpty()) {
                    print(out, changes, connection.json, "refused");
                    spec.commandLine().getErr().println("mesh: the contracts conflict; nothing applied");
                    return 2;
                }
                ClusterAcls.apply(mesh.admin(), changes, prune);
                print(out, changes, connection.json, prune ? "applied, pruned" : "applied");
                if (!changes.missing().isEmpty() || prune && !changes.undeclared().isEmpty()) {
                    Audit.tell(connection, "acl.apply", null, Map.of("added", changes.missing().size(),
                            "removed", prune ? changes.undeclared().size() : 0), spec.commandLine().getErr());
                }
                return 0;
            }
        }
    }

    @Command(name = "credentials", mixinStandardHelpOptions = true,
            description = {"Make a secret for each principal of the mesh (admin, registry, catalog, one per domain) in a folder.",
                    "Secrets already there are kept: <principal>.properties, .kcat.conf, .micronaut.properties, and realm.properties.",
                    "Prints where, never a secret."})
    static final class Credentials implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--dir", required = true, description = "Where the credentials go (e.g. .mesh/credentials)")
        Path dir;
        @Mixin
        Contracts contracts;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CredentialStore store = CredentialStore.at(dir);
            MeshAccounts.admin(store);
            List<String> users = MeshAccounts.ensureAll(store, contracts.load()).stream().map(MeshCredentials::user).toList();
            spec.commandLine().getOut().println("credentials of admin, " + String.join(", ", users) + " in " + dir.toAbsolutePath());
            return 0;
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Make a secured cluster ready for the mesh: SCRAM credentials for every principal and the ACLs the contracts imply.",
                    "Runs as the cluster's admin (the credentials folder's admin.properties). Safe to repeat."})
    static final class Init implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--credentials", required = true, description = "The folder `mesh access credentials` wrote")
        Path dir;
        @Option(names = {"-b", "--bootstrap"}, description = "Kafka bootstrap servers (default: env KAFKA_BOOTSTRAP_SERVERS, or localhost:9092)")
        String bootstrap;
        @Option(names = "--admin-mechanism", description = "How the admin signs in this time: SCRAM-SHA-512 (default), or PLAIN"
                + " where the brokers know the admin from their own configuration only (a new cluster)")
        String mechanism = MeshCredentials.MECHANISM;
        @Mixin
        Contracts contracts;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CredentialStore store = CredentialStore.at(dir);
            MeshCredentials self = MeshAccounts.admin(store);
            Map<String, Object> config = new java.util.HashMap<>(mechanism.equals("PLAIN") ? self.plainKafkaProperties() : self.kafkaProperties());
            String servers = bootstrap != null ? bootstrap : System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
            config.put("bootstrap.servers", servers);
            config.put("default.api.timeout.ms", 60_000);
            try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(config)) {
                AccessChanges added = MeshAccounts.provision(admin, store, contracts.load());
                spec.commandLine().getOut().printf("principals on %s ready; %d ACLs added%n", servers, added.missing().size());
            }
            return 0;
        }
    }

    /** The contracts' ACLs and the marketplace's active grants (read from _mesh.access), so a prune keeps the grants. */
    static AccessPlan planOf(Mesh mesh, Contracts contracts) {
        try (AccessLedger ledger = new AccessLedger(mesh.kafkaProperties())) {
            return AccessPlan.of(contracts.load(), ledger.active(mesh.now()));
        }
    }

    private static void print(PrintWriter out, AccessChanges changes, boolean json, String what) {
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("add", changes.missing().stream().map(AccessChanges::describe).toList());
            doc.put("undeclared", changes.undeclared().stream().map(AccessChanges::describe).toList());
            doc.put("conflicts", changes.conflicts());
            Output.json(out, doc);
            return;
        }
        changes.lines().forEach(out::println);
        out.printf("%s: %d to add, %d declared by no contract, %d conflicts%n", what, changes.missing().size(),
                changes.undeclared().size(), changes.conflicts().size());
    }
}
