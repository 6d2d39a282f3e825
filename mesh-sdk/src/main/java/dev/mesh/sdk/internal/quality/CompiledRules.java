package dev.mesh.sdk.internal.quality;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelErrorCode;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.optimizer.CelOptimizationException;
import dev.cel.optimizer.CelOptimizer;
import dev.cel.optimizer.CelOptimizerFactory;
import dev.cel.optimizer.optimizers.ConstantFoldingOptimizer;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelVariableResolver;
import dev.mesh.sdk.contract.QualityRule;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A product's quality rules, compiled once against its schema and evaluated on every record. The record is the
 * CEL variable {@code message} (Confluent's name), typed as a struct built from the Avro schema.
 * Thread-safe: one instance serves every publishing thread.
 */
public final class CompiledRules {
    public static final String RECORD_VARIABLE = "message";

    private static final CelOptions OPTIONS = CelOptions.current()
            // a contract says `message.totalAmount > 0`, not `> 0.0`, whether the field is a double or an int
            .enableHeterogeneousNumericComparisons(true)
            .enableTimestampEpoch(true)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
    private static final Consumer<RuleFailure> IGNORE = failure -> {
    };

    private final List<QualityRule> rules;
    private final CelRuntime.Program[] programs;
    /** Per rule, the Java fast path for records it can prove pass, or null; see {@link FastRules}. */
    private final FastRules.Rule[] fast;
    private final boolean[] enforced;
    private final LongAdder[] ignoredFailures;
    private final RecordLayout layout;
    private final Consumer<RuleFailure> onIgnoredFailure;

    private CompiledRules(List<QualityRule> rules, CelRuntime.Program[] programs, FastRules.Rule[] fast, RecordLayout layout,
                          Consumer<RuleFailure> onIgnoredFailure) {
        this.rules = List.copyOf(rules);
        this.programs = programs;
        this.fast = fast;
        this.layout = layout;
        this.onIgnoredFailure = onIgnoredFailure;
        this.enforced = new boolean[programs.length];
        this.ignoredFailures = new LongAdder[programs.length];
        for (int i = 0; i < programs.length; i++) {
            enforced[i] = this.rules.get(i).onFailure() != QualityRule.OnFailure.NONE;
            ignoredFailures[i] = new LongAdder();
        }
    }

    /** @throws RuleCompileException naming every rule that does not compile against the schema, and why */
    public static CompiledRules compile(Schema schema, List<QualityRule> rules) {
        return compile(schema, rules, IGNORE);
    }

    /**
     * @param onIgnoredFailure told of every failure of a rule whose onFailure is NONE (for metrics or logs);
     *                         called on the publishing thread, so it must be quick
     */
    public static CompiledRules compile(Schema schema, List<QualityRule> rules, Consumer<RuleFailure> onIgnoredFailure) {
        return compile(schema, rules, onIgnoredFailure, true);
    }

    /** @param fastPath whether simple rules skip the CEL interpreter for records they pass (tests compare both) */
    static CompiledRules compile(Schema schema, List<QualityRule> rules, Consumer<RuleFailure> onIgnoredFailure, boolean fastPath) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("quality rules apply to records; schema " + schema.getFullName()
                    + " is a " + schema.getType().getName());
        }
        CelCompiler compiler = compiler(schema);
        CelOptimizer folding = constantFolding(compiler);
        List<RuleCompileException.Problem> problems = new ArrayList<>();
        CelRuntime.Program[] programs = new CelRuntime.Program[rules.size()];
        FastRules.Rule[] fast = new FastRules.Rule[rules.size()];
        for (int i = 0; i < programs.length; i++) {
            QualityRule rule = rules.get(i);
            try {
                CelValidationResult result = compiler.compile(rule.expr(), rule.name());
                if (result.hasError()) {
                    problems.add(new RuleCompileException.Problem(rule, describe(result.getErrors())));
                } else {
                    CelAbstractSyntaxTree ast = folded(folding, result.getAst());
                    programs[i] = RUNTIME.createProgram(ast);
                    fast[i] = fastPath ? FastRules.compile(ast, schema).orElse(null) : null;
                }
            } catch (Exception e) { // CEL's checker throws on some types it cannot handle instead of reporting them
                problems.add(new RuleCompileException.Problem(rule, "CEL failed on it: " + e));
            }
        }
        if (!problems.isEmpty()) {
            throw new RuleCompileException(problems);
        }
        return new CompiledRules(rules, programs, fast, new AvroToCel().layout(schema), onIgnoredFailure);
    }

    /** CEL's compiler for rules over records of this schema: {@code message} typed from it, a bool result. */
    private static CelCompiler compiler(Schema schema) {
        AvroCelTypes types = new AvroCelTypes(schema);
        return CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setTypeProvider(types)
                .addVar(RECORD_VARIABLE, types.struct(schema))
                .setResultType(SimpleType.BOOL)
                .build();
    }

    /**
     * Folds constant subexpressions once at compile time rather than on every record (a literal list in
     * {@code x in ['EUR', 'USD']} is otherwise rebuilt per evaluation). The optimizer type-checks what it folds
     * on its own, so it gets a compiler without the bool result type, which its subexpressions need not have.
     */
    private static CelOptimizer constantFolding(CelCompiler compiler) {
        CelCompiler anyResult = compiler.toCompilerBuilder().setResultType(SimpleType.DYN).build();
        return CelOptimizerFactory.standardCelOptimizerBuilder(anyResult, RUNTIME)
                .addAstOptimizers(ConstantFoldingOptimizer.getInstance())
                .build();
    }

    private static CelAbstractSyntaxTree folded(CelOptimizer folding, CelAbstractSyntaxTree ast) {
        try {
            return folding.optimize(ast);
        } catch (CelOptimizationException | RuntimeException e) {
            // e.g. `1/0`: an optimisation only, so the rule stays as written and the record path reports the error
            return ast;
        }
    }

    private static String describe(List<CelIssue> issues) {
        return issues.stream().map(issue -> {
            // the candidate overloads CEL lists run to a dozen signatures; the types it was applied to say enough
            String message = issue.getMessage().replaceFirst(" \\(candidates: .*\\)$", "");
            var at = issue.getSourceLocation();
            return at.getLine() > 0 ? message + " (at " + at.getLine() + ":" + (at.getColumn() + 1) + ")" : message;
        }).collect(Collectors.joining("; "));
    }

    /**
     * Evaluates every rule on the record, which must have the schema the rules were compiled against (fields are
     * read by position). An expression that cannot be evaluated on the record counts as failed.
     *
     * @return null when the record passes; otherwise the first enforced rule (onFailure DLQ or ERROR) it breaks.
     *         Rules with onFailure NONE are always evaluated and their failures only counted.
     */
    public RuleFailure check(IndexedRecord record) {
        if (programs.length == 0) {
            return null;
        }
        CelVariableResolver variables = null;
        RuleFailure first = null;
        for (int i = 0; i < programs.length; i++) {
            if (enforced[i] && first != null) {
                continue;
            }
            if (fast[i] != null && FastRules.passes(fast[i], record)) {
                continue;
            }
            if (variables == null) {
                Optional<Object> message = Optional.of(new RecordView(record, layout));
                variables = name -> RECORD_VARIABLE.equals(name) ? message : Optional.empty();
            }
            String reason = evaluate(programs[i], variables);
            if (reason == null) {
                continue;
            }
            RuleFailure failure = new RuleFailure(rules.get(i), reason);
            if (enforced[i]) {
                first = failure;
            } else {
                ignoredFailures[i].increment();
                onIgnoredFailure.accept(failure);
            }
        }
        return first;
    }

    /** @return null when the expression is true, otherwise why the rule failed */
    private static String evaluate(CelRuntime.Program program, CelVariableResolver variables) {
        try {
            Object result = program.eval(variables);
            if (result instanceof Boolean passed) {
                return passed ? null : RuleFailure.FALSE;
            }
            return "expression gave " + result + " instead of true or false";
        } catch (CelEvaluationException e) {
            // CEL's message can be as short as the missing key's name; its code says what kind of error it was
            CelErrorCode code = e.getErrorCode();
            return code == null || code == CelErrorCode.INTERNAL_ERROR ? e.getMessage() : e.getMessage() + " (" + code + ")";
        } catch (RuntimeException e) { // a value that does not fit its schema, e.g. a decimal of the wrong kind
            return "cannot evaluate on this record: " + e;
        }
    }

    /** One expression checked (and folded) against the schema as {@link #compile} does it, for tests. */
    static CelAbstractSyntaxTree checkedAst(Schema schema, String expr) {
        CelCompiler compiler = compiler(schema);
        try {
            return folded(constantFolding(compiler), compiler.compile(expr, "test").getAst());
        } catch (Exception e) {
            throw new IllegalArgumentException(expr + ": " + e.getMessage(), e);
        }
    }

    /** How many of the rules have a fast path (for tests and benchmarks). */
    int fastRules() {
        int n = 0;
        for (FastRules.Rule r : fast) {
            n += r == null ? 0 : 1;
        }
        return n;
    }

    public List<QualityRule> rules() {
        return rules;
    }

    /** How many records failed the named rule while its onFailure is NONE (0 for any other rule). */
    public long ignoredFailures(String ruleName) {
        for (int i = 0; i < programs.length; i++) {
            if (rules.get(i).name().equals(ruleName)) {
                return ignoredFailures[i].sum();
            }
        }
        return 0;
    }
}
