package dev.mesh.sdk.policy;

import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.mesh.sdk.contract.ContractException;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.QualityRule;
import dev.mesh.sdk.internal.quality.PortableCel;
import org.apache.avro.Schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Evaluates the mesh's policies over contracts. A policy sees {@code contract}: product, domain, name, version,
 * description, owner {team, contact}, classification and its rank (public 0 ... restricted 3),
 * classificationReason, tags, derived, inputs (topics) and inputsMaxRank (-1 without known inputs), slo {freshness},
 * cleanup, retentionDays (-1: the broker's default), encryptsPii, rulesThatDoNotTravel (a quality rule Confluent's
 * executors would not evaluate as the mesh does, with its fields); a field policy also {@code field}: path, name, doc, type, tags.
 */
public final class PolicyChecker {
    private static final List<String> RANKS = List.of("public", "internal", "confidential", "restricted");
    private static final CelOptions OPTIONS = CelOptions.current().enableHeterogeneousNumericComparisons(true).build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("contract", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("field", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .setResultType(SimpleType.BOOL)
            .build();

    private final PolicySet policies;
    private final Map<String, CelRuntime.Program> programs = new HashMap<>();

    /** @throws ContractException naming the policy file and line of every expression that does not compile */
    public PolicyChecker(PolicySet policies) {
        this.policies = policies;
        List<ContractException.Problem> problems = new ArrayList<>();
        for (Policy p : policies.all()) {
            if (!programs.containsKey(p.expr())) {
                compile(p, problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new ContractException(problems);
        }
    }

    private void compile(Policy p, List<ContractException.Problem> problems) {
        CelValidationResult result = COMPILER.compile(p.expr(), p.id());
        int colon = p.origin().lastIndexOf(':');
        if (result.hasError()) {
            problems.add(new ContractException.Problem(p.origin().substring(0, colon), Integer.parseInt(p.origin().substring(colon + 1)),
                    p.id(), "expr does not compile: " + result.getErrorString()));
            return;
        }
        try {
            programs.put(p.expr(), RUNTIME.createProgram(result.getAst()));
        } catch (Exception e) {
            problems.add(new ContractException.Problem(p.origin().substring(0, colon), Integer.parseInt(p.origin().substring(colon + 1)),
                    p.id(), "expr cannot run: " + e.getMessage()));
        }
    }

    /** Every violation of every contract, in file and line order; inputs are looked up among {@code contracts}. */
    public List<PolicyViolation> check(Collection<ProductContract> contracts) {
        Map<String, ProductContract> byTopic = contracts.stream()
                .collect(Collectors.toMap(ProductContract::topicName, Function.identity(), (a, b) -> a));
        List<PolicyViolation> violations = new ArrayList<>();
        for (ProductContract c : contracts) {
            violations.addAll(check(c, byTopic));
        }
        violations.sort(Comparator.comparing(PolicyViolation::file).thenComparingInt(PolicyViolation::line)
                .thenComparing(PolicyViolation::policy));
        return violations;
    }

    private List<PolicyViolation> check(ProductContract c, Map<String, ProductContract> byTopic) {
        Path file = Path.of(c.origin());
        Optional<Path> schema = schemaFile(file);
        return check(view(c, byTopic), c.schema(), c.product().domain(), new Locator() {
            @Override
            public String file(Policy.Scope scope) {
                return scope == Policy.Scope.FIELD && schema.isPresent() ? schema.get().toString() : c.origin();
            }

            @Override
            public int line(Policy p, Map<String, Object> field) {
                return p.scope() == Policy.Scope.CONTRACT ? keyLine(file, p.at())
                        : schema.map(s -> fieldLine(s, (String) field.get("name"))).orElse(1);
            }
        });
    }

    /** Where a violation is reported: the contract's or the schema's file and line. */
    private interface Locator {
        String file(Policy.Scope scope);

        int line(Policy p, Map<String, Object> field);
    }

    /**
     * A contract known only by its view (what {@link #view} makes of a contract file, or the registry of a
     * schema's metadata) and schema: violations name {@code origin}, without lines.
     */
    public List<PolicyViolation> check(String origin, Map<String, Object> contract, Schema schema, String domain) {
        return check(contract, schema, domain, new Locator() {
            @Override
            public String file(Policy.Scope scope) {
                return origin;
            }

            @Override
            public int line(Policy p, Map<String, Object> field) {
                return 0;
            }
        });
    }

    private List<PolicyViolation> check(Map<String, Object> contract, Schema schema, String domain, Locator at) {
        List<Map<String, Object>> fields = new ArrayList<>();
        fields(schema, "", fields);
        List<PolicyViolation> out = new ArrayList<>();
        for (Policy p : policies.forDomain(domain)) {
            CelRuntime.Program program = programs.get(p.expr());
            if (p.scope() == Policy.Scope.CONTRACT) {
                if (!holds(program, contract, Map.of())) {
                    out.add(new PolicyViolation(at.file(p.scope()), at.line(p, Map.of()), "", p.id(), p.severity(),
                            p.description() + named(contract.get(p.names()))));
                }
                continue;
            }
            for (Map<String, Object> field : fields) {
                if (!holds(program, contract, field)) {
                    out.add(new PolicyViolation(at.file(p.scope()), at.line(p, field), (String) field.get("path"), p.id(),
                            p.severity(), p.description()));
                }
            }
        }
        return out;
    }

    /** What a policy's {@code names} fact lists, as a message's end. */
    private static String named(Object what) {
        return what instanceof Collection<?> c && !c.isEmpty()
                ? ": " + c.stream().map(String::valueOf).collect(Collectors.joining("; ")) : "";
    }

    /** The rank of a classification as policies compare them: public 0, internal 1, confidential 2, restricted 3. */
    public static long rank(String classification) {
        return RANKS.indexOf(classification.toLowerCase());
    }

    private static boolean holds(CelRuntime.Program program, Map<String, Object> contract, Map<String, Object> field) {
        try {
            return Boolean.TRUE.equals(program.eval(Map.of("contract", contract, "field", field)));
        } catch (CelEvaluationException e) {
            // an expression that cannot decide (e.g. a missing key) is a violation, not a pass
            return false;
        }
    }

    static Map<String, Object> view(ProductContract c, Map<String, ProductContract> byTopic) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("product", c.product().toString());
        m.put("domain", c.product().domain());
        m.put("name", c.product().name());
        m.put("version", c.version().toString());
        m.put("description", c.description());
        m.put("owner", Map.of("team", c.owner().team(), "contact", c.owner().contact()));
        String classification = c.classification().name().toLowerCase();
        m.put("classification", classification);
        m.put("classificationRank", (long) RANKS.indexOf(classification));
        m.put("classificationReason", c.classificationReason().orElse(""));
        m.put("tags", c.tags());
        m.put("derived", c.isDerived());
        List<String> inputs = c.inputs().stream().map(Naming.ProductVersion::topic).toList();
        m.put("inputs", inputs);
        m.put("inputsMaxRank", inputs.stream().map(byTopic::get).filter(java.util.Objects::nonNull)
                .mapToLong(i -> RANKS.indexOf(i.classification().name().toLowerCase())).max().orElse(-1));
        m.put("slo", Map.of("freshness", c.slo().freshness().map(Object::toString).orElse("")));
        m.put("cleanup", c.topic().cleanupPolicy());
        m.put("retentionDays", c.topic().retention().map(d -> d.toDays()).orElse(-1L));
        m.put("rulesThatDoNotTravel", rulesThatDoNotTravel(c));
        m.put("encryptsPii", dev.mesh.sdk.encryption.EncryptRule.forContract(c).isPresent());
        return m;
    }

    /** Quality rules Confluent's executors would not evaluate as the mesh does ({@link PortableCel}), with the fields why. */
    private static List<String> rulesThatDoNotTravel(ProductContract c) {
        return c.quality().stream().filter(r -> r.expr() != null)
                .map(r -> Map.entry(r.name(), PortableCel.unportable(r.expr(), c.schema())))
                .filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")").toList();
    }

    /** Whether field encryption can hold the field's values: strings and bytes, also in nullable unions and collections. */
    private static boolean encryptable(Schema schema) {
        return switch (schema.getType()) {
            case STRING, BYTES -> true;
            case UNION -> schema.getTypes().stream().allMatch(t -> t.getType() == Schema.Type.NULL || encryptable(t));
            case ARRAY -> encryptable(schema.getElementType());
            case MAP -> encryptable(schema.getValueType());
            default -> false;
        };
    }

    /** Every field, nested ones too (records in arrays, maps and unions), with its path as the catalog shows it. */
    private static void fields(Schema schema, String prefix, List<Map<String, Object>> out) {
        switch (schema.getType()) {
            case RECORD -> {
                for (Schema.Field f : schema.getFields()) {
                    String path = prefix.isEmpty() ? f.name() : prefix + "." + f.name();
                    Object tags = f.getObjectProp("confluent:tags");
                    Map<String, Object> field = new LinkedHashMap<>();
                    field.put("path", path);
                    field.put("name", f.name());
                    field.put("doc", f.doc() == null ? "" : f.doc());
                    field.put("type", f.schema().getType().getName());
                    field.put("tags", tags instanceof Collection<?> t ? t.stream().map(String::valueOf).toList() : List.of());
                    field.put("encryptable", encryptable(f.schema()));
                    out.add(field);
                    fields(f.schema(), path, out);
                }
            }
            case ARRAY -> fields(schema.getElementType(), prefix + "[]", out);
            case MAP -> fields(schema.getValueType(), prefix + "{}", out);
            case UNION -> schema.getTypes().forEach(t -> fields(t, prefix, out));
            default -> {
            }
        }
    }

    private static int keyLine(Path contract, String key) {
        if (key.isEmpty()) {
            return 1;
        }
        return lineOf(contract, Pattern.compile("^" + Pattern.quote(key) + "\\s*:")).orElse(1);
    }

    private static int fieldLine(Path schema, String name) {
        return lineOf(schema, Pattern.compile("\"name\"\\s*:\\s*\"" + Pattern.quote(name) + "\"")).orElse(1);
    }

    private static Optional<Path> schemaFile(Path contract) {
        Pattern schemaKey = Pattern.compile("^schema\\s*:\\s*(\\S+)");
        try {
            for (String line : Files.readAllLines(contract)) {
                Matcher m = schemaKey.matcher(line);
                if (m.find()) {
                    return Optional.of(contract.resolveSibling(m.group(1)));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<Integer> lineOf(Path file, Pattern pattern) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (pattern.matcher(lines.get(i)).find()) {
                    return Optional.of(i + 1);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The fields of a quality rule's expression that Confluent's rule executors would read otherwise than the mesh. */
    public static List<String> unportable(String expr, org.apache.avro.Schema schema) {
        return PortableCel.unportable(expr, schema);
    }
}
