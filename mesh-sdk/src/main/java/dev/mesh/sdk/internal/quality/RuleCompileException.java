package dev.mesh.sdk.internal.quality;

import dev.mesh.sdk.contract.QualityRule;

import java.util.List;
import java.util.stream.Collectors;

/** One or more quality rules do not compile against the schema; {@link #problems()} says which and why. */
public final class RuleCompileException extends RuntimeException {
    private final List<Problem> problems;

    public RuleCompileException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    /** @param message CEL's reason, with the line and column inside the expression */
    public record Problem(QualityRule rule, String message) {
        @Override
        public String toString() {
            return "rule '" + rule.name() + "' does not compile: " + message;
        }
    }
}
