package dev.mesh.cli;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.access.AccessChanges;
import dev.mesh.sdk.access.ClusterAcls;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.provision.ProvisionPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mesh plan}: everything the product folders declare (topics, subjects, ACLs) against the cluster, changing nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Print what the product folders declare and the cluster lacks or holds otherwise: topics, schema subjects, ACLs.",
                "Changes nothing. + to add, ~ to change, ? drift (changed by hand, or declared by no contract), ! conflict.",
                "Exit 0: nothing to do, 1: changes, 2: drift or conflict."})
final class PlanCommand implements Callable<Integer> {
    @Mixin
    Connection connection;
    @Mixin
    AccessCommand.Contracts contracts;
    @Spec
    CommandSpec spec;

    /** The topic and subject plan and the ACL plan, taken together. */
    record Whole(ProvisionPlan provision, AccessChanges acls) {
        static Whole of(Mesh mesh, AccessCommand.Contracts contracts) {
            List<ProductContract> declared = contracts.load();
            return new Whole(ProvisionPlan.of(mesh.admin(), mesh.registry(), declared, mesh.replicationFactor()),
                    ClusterAcls.plan(mesh.admin(), AccessCommand.planOf(mesh, contracts)));
        }

        int exitCode() {
            return Math.max(provision.exitCode(), acls.exitCode());
        }

        boolean hasConflicts() {
            return provision.hasConflicts() || !acls.conflicts().isEmpty();
        }

        void print(PrintWriter out, boolean json, String what) {
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("changes", provision.changes());
                doc.put("acls", Map.of("add", acls.missing().stream().map(AccessChanges::describe).toList(),
                        "undeclared", acls.undeclared().stream().map(AccessChanges::describe).toList(),
                        "conflicts", acls.conflicts()));
                doc.put("exitCode", exitCode());
                Output.json(out, doc);
                return;
            }
            provision.changes().forEach(c -> out.println(c.line()));
            acls.lines().forEach(out::println);
            long drift = provision.changes().stream().filter(c -> c.kind().isDrift()).count();
            out.printf("%s: %d topic and subject changes (%d drift or conflict), %d ACLs to add, %d declared by no contract, %d ACL conflicts%n",
                    what, provision.changes().size(), drift, acls.missing().size(), acls.undeclared().size(), acls.conflicts().size());
        }
    }

    @Override
    public Integer call() {
        try (Mesh mesh = Mesh.connect(connection.properties())) {
            Whole plan = Whole.of(mesh, contracts);
            plan.print(spec.commandLine().getOut(), connection.json, "plan");
            return plan.exitCode();
        }
    }
}
