package dev.mesh.sdk.intake;

import java.util.List;

/**
 * An input record that does not fit its product's schema and contract, with every problem found. {@link #tooLarge()}
 * tells a refusal for size (HTTP 413) from one for content (HTTP 400).
 */
public final class RecordRefusedException extends RuntimeException {
    private final List<FieldProblem> problems;
    private final boolean tooLarge;

    public RecordRefusedException(List<FieldProblem> problems, boolean tooLarge) {
        super(problems.size() + " problem(s): " + problems);
        this.problems = List.copyOf(problems);
        this.tooLarge = tooLarge;
    }

    public static RecordRefusedException of(String field, String message) {
        return new RecordRefusedException(List.of(new FieldProblem(field, message)), false);
    }

    public List<FieldProblem> problems() {
        return problems;
    }

    public boolean tooLarge() {
        return tooLarge;
    }
}
