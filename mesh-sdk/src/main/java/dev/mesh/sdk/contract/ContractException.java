package dev.mesh.sdk.contract;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** A contract that cannot be used, with every problem found in it, each saying where it is. */
public final class ContractException extends RuntimeException {
    private final List<Problem> problems;

    public ContractException(List<Problem> problems) {
        super(describe(problems));
        this.problems = problems.stream().sorted(Comparator.comparingInt(Problem::line)).toList();
    }

    public ContractException(Problem problem) {
        this(List.of(problem));
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String describe(List<Problem> problems) {
        List<String> lines = problems.stream().sorted(Comparator.comparingInt(Problem::line)).map(Problem::toString).toList();
        if (lines.size() == 1) {
            return lines.get(0);
        }
        return lines.size() + " problems in contract " + problems.get(0).file() + ":\n"
                + lines.stream().collect(Collectors.joining("\n"));
    }

    /**
     * @param line  1-based line in the file, 0 when the problem is with the file as a whole
     * @param field the field's path in the contract, e.g. {@code topic.partitions} or {@code quality[0].expr};
     *              empty when the problem is not with one field
     */
    public record Problem(String file, int line, String field, String message) {
        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(file);
            if (line > 0) {
                text.append(':').append(line);
            }
            text.append(": ");
            if (!field.isEmpty()) {
                text.append("field '").append(field).append("': ");
            }
            return text.append(message).toString();
        }
    }
}
