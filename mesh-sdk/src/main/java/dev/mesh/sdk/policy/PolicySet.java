package dev.mesh.sdk.policy;

import dev.mesh.sdk.contract.ContractException;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mesh's policies: the global file ({@code schemas/policies.yaml}), and per domain a file that may tighten them
 * ({@code products/<domain>/policies.yaml}): add policies, raise a WARN to ERROR, never drop or weaken one. Every
 * problem in a policy file names its file and line.
 */
public final class PolicySet {
    private static final List<String> KEYS = List.of("id", "description", "severity", "each", "at", "names", "expr");

    private final List<Policy> global;
    private final Map<String, List<Policy>> byDomain;

    private PolicySet(List<Policy> global, Map<String, List<Policy>> byDomain) {
        this.global = List.copyOf(global);
        this.byDomain = Map.copyOf(byDomain);
    }

    /** The global policies, and each domain's under {@code products} where it has a {@code policies.yaml}. */
    public static PolicySet load(Path globalFile, Path products) {
        List<Policy> global = read(globalFile.toString(), text(globalFile));
        Map<String, List<Policy>> byDomain = new LinkedHashMap<>();
        if (Files.isDirectory(products)) {
            try (var domains = Files.list(products)) {
                for (Path domain : domains.filter(Files::isDirectory).sorted().toList()) {
                    Path file = domain.resolve("policies.yaml");
                    if (Files.exists(file)) {
                        byDomain.put(domain.getFileName().toString(), read(file.toString(), text(file)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + products, e);
            }
        }
        return of(global, byDomain);
    }

    public static PolicySet of(List<Policy> global) {
        return new PolicySet(global, Map.of());
    }

    /**
     * The global policies with each domain's own ({@code local}, as read from its {@code policies.yaml}), which may
     * tighten them, never weaken them.
     *
     * @throws ContractException naming each domain policy that weakens or redefines a global one, with file and line
     */
    public static PolicySet of(List<Policy> global, Map<String, List<Policy>> local) {
        List<ContractException.Problem> problems = new ArrayList<>();
        Map<String, List<Policy>> byDomain = new LinkedHashMap<>();
        local.forEach((domain, policies) -> byDomain.put(domain, tightened(global, policies, problems)));
        if (!problems.isEmpty()) {
            throw new ContractException(problems);
        }
        return new PolicySet(global, byDomain);
    }

    /** The policies a contract of this domain must keep. */
    public List<Policy> forDomain(String domain) {
        return byDomain.getOrDefault(domain, global);
    }

    public List<Policy> global() {
        return global;
    }

    /** Every policy of the set: the global ones and each domain's own. */
    public List<Policy> all() {
        List<Policy> all = new ArrayList<>(global);
        byDomain.values().forEach(all::addAll);
        return all;
    }

    private static List<Policy> tightened(List<Policy> global, List<Policy> local, List<ContractException.Problem> problems) {
        Map<String, Policy> merged = new LinkedHashMap<>();
        global.forEach(p -> merged.put(p.id(), p));
        for (Policy p : local) {
            Policy base = merged.get(p.id());
            if (base == null) {
                merged.put(p.id(), p);
            } else if (!p.expr().isEmpty() && !p.expr().equals(base.expr())) {
                problems.add(problem(p, "a domain may tighten policy '" + p.id() + "', not redefine it; add a policy of its own instead"));
            } else if (p.severity().compareTo(base.severity()) < 0) {
                problems.add(problem(p, "a domain may tighten policy '" + p.id() + "', not weaken it: it is "
                        + base.severity() + " for the whole mesh"));
            } else {
                merged.put(p.id(), new Policy(base.id(), base.description(), p.severity(), base.scope(), base.at(), base.names(), base.expr(), p.origin()));
            }
        }
        return List.copyOf(merged.values());
    }

    private static ContractException.Problem problem(Policy p, String message) {
        int colon = p.origin().lastIndexOf(':');
        return new ContractException.Problem(p.origin().substring(0, colon), Integer.parseInt(p.origin().substring(colon + 1)), "policies", message);
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read policies " + file + ": " + e.getMessage(), e);
        }
    }

    /** Policies from YAML ({@code policies: [{id, description, severity, each, at, names, expr}]}). */
    public static List<Policy> read(String origin, String yaml) {
        List<ContractException.Problem> problems = new ArrayList<>();
        List<Policy> policies = new ArrayList<>();
        Node root;
        try {
            root = new Yaml().compose(new java.io.StringReader(yaml));
        } catch (YAMLException e) {
            throw new ContractException(new ContractException.Problem(origin, 0, "", "not valid YAML: " + e.getMessage()));
        }
        Optional<Node> list = root instanceof MappingNode m ? value(m, "policies") : Optional.empty();
        if (list.isEmpty() || !(list.get() instanceof SequenceNode items)) {
            throw new ContractException(new ContractException.Problem(origin, 1, "policies", "expected a list under 'policies'"));
        }
        for (Node item : items.getValue()) {
            int line = item.getStartMark().getLine() + 1;
            if (!(item instanceof MappingNode policy)) {
                problems.add(new ContractException.Problem(origin, line, "policies", "a policy is a mapping of id, description, severity, expr"));
                continue;
            }
            for (NodeTuple t : policy.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "(not a word)";
                if (!KEYS.contains(key)) {
                    problems.add(new ContractException.Problem(origin, t.getKeyNode().getStartMark().getLine() + 1, key,
                            "unknown field; known fields: " + String.join(", ", KEYS)));
                }
            }
            String id = text(policy, "id").orElse("");
            if (!id.matches("[a-z][a-z0-9-]*")) {
                problems.add(new ContractException.Problem(origin, line, "id", "a policy needs an id of lower-case words joined by '-'"));
                continue;
            }
            Policy.Severity severity;
            Policy.Scope scope;
            try {
                severity = Policy.Severity.valueOf(text(policy, "severity").orElse("ERROR").toUpperCase());
                scope = Policy.Scope.valueOf(text(policy, "each").map(e -> e.equals("field") ? "FIELD" : e.toUpperCase()).orElse("CONTRACT"));
            } catch (IllegalArgumentException e) {
                problems.add(new ContractException.Problem(origin, line, id, "severity is WARN or ERROR; each is field (or absent)"));
                continue;
            }
            policies.add(new Policy(id, text(policy, "description").orElse(id), severity, scope, text(policy, "at").orElse(""),
                    text(policy, "names").orElse(""), text(policy, "expr").orElse(""), origin + ":" + line));
        }
        if (!problems.isEmpty()) {
            throw new ContractException(problems);
        }
        return policies;
    }

    private static Optional<Node> value(MappingNode map, String key) {
        return map.getValue().stream().filter(t -> t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key))
                .map(NodeTuple::getValueNode).findFirst();
    }

    private static Optional<String> text(MappingNode map, String key) {
        return value(map, key).filter(ScalarNode.class::isInstance).map(n -> ((ScalarNode) n).getValue().trim());
    }
}
