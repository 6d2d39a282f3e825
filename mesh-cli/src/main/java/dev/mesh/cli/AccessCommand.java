package dev.mesh.cli;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.access.AccessChanges;
import dev.mesh.sdk.access.AccessPlan;
import dev.mesh.sdk.access.ClusterAcls;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.loader.ContractLoader;
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

/** {@code mesh access plan|apply}: the cluster's ACLs as the contracts imply them. */
@Command(name = "access", mixinStandardHelpOptions = true,
        description = "Kafka ACLs derived from the contracts: who writes, who reads, which groups and transactional ids.",
        subcommands = {AccessCommand.Plan.class, AccessCommand.Apply.class})
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
                changes = ClusterAcls.plan(mesh.admin(), AccessPlan.of(contracts.load()));
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
                AccessChanges changes = ClusterAcls.plan(mesh.admin(), AccessPlan.of(contracts.load()));
                if (!changes.conflicts().isEmpty()) {
                    print(out, changes, connection.json, "refused");
                    spec.commandLine().getErr().println("mesh: the contracts conflict; nothing applied");
                    return 2;
                }
                ClusterAcls.apply(mesh.admin(), changes, prune);
                print(out, changes, connection.json, prune ? "applied, pruned" : "applied");
                return 0;
            }
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
