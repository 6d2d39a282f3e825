package dev.mesh.cli;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.access.ClusterAcls;
import dev.mesh.sdk.provision.PlannedChange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mesh apply}: makes the cluster and the registry what {@code mesh plan} says the product folders declare. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Create and set what mesh plan lists: topics and their settings, schema subjects, ACLs.",
                "Settings changed by hand are set back to the contracts'. Partitions are added only with --force (it re-keys);"
                        + " replicas are never changed. Refuses everything (exit 2) while anything conflicts. Needs an admin principal."})
final class ApplyCommand implements Callable<Integer> {
    @Mixin
    Connection connection;
    @Mixin
    AccessCommand.Contracts contracts;
    @Option(names = "--prune", description = "Also delete the ACLs no contract or grant declares")
    boolean prune;
    @Option(names = "--force", description = "Also add the partitions a contract asks for, re-keying its topic")
    boolean force;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Mesh mesh = Mesh.connect(connection.properties())) {
            PlanCommand.Whole plan = PlanCommand.Whole.of(mesh, contracts);
            if (plan.hasConflicts()) {
                plan.print(out, connection.json, "refused");
                spec.commandLine().getErr().println("mesh: the plan has conflicts; nothing applied");
                return 2;
            }
            List<PlannedChange> applied = plan.provision().apply(force);
            ClusterAcls.apply(mesh.admin(), plan.acls(), prune);
            plan.print(out, connection.json, prune ? "applied, pruned" : "applied");
            long skipped = plan.provision().changes().size() - applied.size();
            if (skipped > 0) {
                spec.commandLine().getErr().printf("mesh: %d changes not applied (partitions need --force; replicas are never changed)%n", skipped);
            }
            int acls = plan.acls().missing().size() + (prune ? plan.acls().undeclared().size() : 0);
            if (!applied.isEmpty() || acls > 0) {
                Audit.tell(connection, "mesh.apply", null, Map.of("changes", applied.size(), "acls", acls), spec.commandLine().getErr());
            }
            return skipped > 0 ? 1 : 0;
        }
    }
}
