package dev.mesh.cli;

import dev.mesh.sdk.policy.Lint;
import dev.mesh.sdk.policy.Policy;
import dev.mesh.sdk.policy.PolicyViolation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code mesh lint [path]}: contracts against the mesh's policies, as the schemas build checks them. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = {"Check contracts against the mesh's policies (schemas/policies.yaml, tightened per domain).",
                "Prints file:line, field and policy id of each violation. Exit 1 when any is an ERROR."})
final class LintCommand implements Callable<Integer> {
    @Parameters(paramLabel = "<path>", arity = "0..1", description = "A products folder, a domain's or a product's (default: schemas/products)")
    Path path = Path.of("schemas", "products");
    @Option(names = "--policies", description = "The global policy file (default: policies.yaml in <path> or above it)")
    Path policies;
    @Option(names = "--json", description = "Print JSON for scripts")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<PolicyViolation> violations = Lint.check(path, Optional.ofNullable(policies));
        long errors = violations.stream().filter(v -> v.severity() == Policy.Severity.ERROR).count();
        if (json) {
            Output.json(out, violations.stream().map(v -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("file", v.file());
                row.put("line", v.line());
                row.put("field", v.field());
                row.put("policy", v.policy());
                row.put("severity", v.severity().name());
                row.put("message", v.message());
                return row;
            }).toList());
        } else {
            violations.forEach(out::println);
            out.printf("%d errors, %d warnings%n", errors, violations.size() - errors);
        }
        return errors > 0 ? 1 : 0;
    }
}
