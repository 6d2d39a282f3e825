package dev.mesh.sdk.contract.loader;

import dev.mesh.sdk.contract.ContractException;
import org.yaml.snakeyaml.nodes.Node;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of one contract file, so that a user fixes them all in one go rather than one per run. */
final class Problems {
    private final String file;
    private final List<ContractException.Problem> found = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void add(int line, String field, String message) {
        found.add(new ContractException.Problem(file, line, field, message));
    }

    void add(Node at, String field, String message) {
        add(line(at), field, message);
    }

    void throwIfAny() {
        if (!found.isEmpty()) {
            throw new ContractException(found);
        }
    }

    static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }
}
