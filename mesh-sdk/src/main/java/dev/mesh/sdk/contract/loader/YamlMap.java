package dev.mesh.sdk.contract.loader;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One YAML mapping of a contract, read key by key with the line of every value at hand. Wrong shapes (a list
 * where text belongs, a key twice) are reported to {@link Problems} and read as absent, so reading goes on and
 * every problem of the file is found in one pass.
 */
final class YamlMap {
    private final String path;
    private final MappingNode node;
    private final Problems problems;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    YamlMap(String path, MappingNode node, Problems problems) {
        this.path = path;
        this.node = node;
        this.problems = problems;
        for (NodeTuple tuple : node.getValue()) {
            Node key = tuple.getKeyNode();
            if (!(key instanceof ScalarNode scalar)) {
                problems.add(key, path, "a key must be a plain name, not a " + shape(key));
            } else if (entries.putIfAbsent(scalar.getValue(), tuple) != null) {
                problems.add(key, field(scalar.getValue()), "is given twice");
            }
        }
    }

    String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    int line() {
        return Problems.line(node);
    }

    java.util.Set<String> keys() {
        return entries.keySet();
    }

    boolean has(String key) {
        return value(key).isPresent();
    }

    /** The value as text; empty when the key is missing or its value is null (or not text, which is reported). */
    Optional<Scalar> text(String key) {
        return value(key).flatMap(value -> {
            if (value instanceof ScalarNode scalar) {
                return Optional.of(new Scalar(field(key), scalar.getValue().trim(), Problems.line(scalar)));
            }
            problems.add(value, field(key), "expected a single value, found a " + shape(value));
            return Optional.empty();
        });
    }

    /** Like {@link #text}, but reports a missing, null or blank value. */
    Optional<Scalar> requiredText(String key) {
        Optional<Scalar> text = text(key);
        if (text.isEmpty() && !entries.containsKey(key)) {
            problems.add(line(), field(key), "is required but missing");
        } else if (text.isEmpty() && isNull(entries.get(key).getValueNode())) {
            problems.add(entries.get(key).getValueNode(), field(key), "is required but has no value");
        } else if (text.isPresent() && text.get().value().isEmpty()) {
            problems.add(text.get().line(), field(key), "is required but empty");
            return Optional.empty();
        }
        return text;
    }

    Optional<YamlMap> map(String key) {
        return value(key).flatMap(value -> {
            if (value instanceof MappingNode mapping) {
                return Optional.of(new YamlMap(field(key), mapping, problems));
            }
            problems.add(value, field(key), "expected a mapping of fields, found a " + shape(value));
            return Optional.empty();
        });
    }

    Optional<YamlMap> requiredMap(String key) {
        if (!has(key)) {
            problems.add(line(), field(key), "is required but missing");
        }
        return map(key);
    }

    /** The items of a list; a single value where a list belongs is reported. */
    List<Node> list(String key) {
        return value(key).map(value -> {
            if (value instanceof SequenceNode sequence) {
                return sequence.getValue();
            }
            problems.add(value, field(key), "expected a list, found a " + shape(value));
            return List.<Node>of();
        }).orElse(List.of());
    }

    /** A typo must not pass as an unused key: every key not in {@code known} is reported, with a likely meaning. */
    void rejectUnknownKeys(List<String> known) {
        for (var entry : entries.entrySet()) {
            if (known.contains(entry.getKey())) {
                continue;
            }
            String hint = ClosestName.among(entry.getKey(), known)
                    .map(name -> "; did you mean '" + name + "'?")
                    .orElse("; known fields here: " + String.join(", ", known));
            problems.add(entry.getValue().getKeyNode(), field(entry.getKey()), "unknown field" + hint);
        }
    }

    private Optional<Node> value(String key) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null || isNull(tuple.getValueNode())) {
            return Optional.empty();
        }
        return Optional.of(tuple.getValueNode());
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    static String shape(Node node) {
        return switch (node.getNodeId()) {
            case mapping -> "mapping";
            case sequence -> "list";
            case scalar -> "single value";
            case anchor -> "reference";
        };
    }

    /** Text items of a list, each with its line; other items are reported. */
    List<Scalar> textItems(String key) {
        List<Scalar> items = new ArrayList<>();
        List<Node> nodes = list(key);
        for (int i = 0; i < nodes.size(); i++) {
            Node item = nodes.get(i);
            String itemField = field(key) + "[" + i + "]";
            if (item instanceof ScalarNode scalar && !isNull(scalar) && !scalar.getValue().isBlank()) {
                items.add(new Scalar(itemField, scalar.getValue().trim(), Problems.line(scalar)));
            } else {
                problems.add(item, itemField, "expected a non-empty single value, found a "
                        + (isNull(item) ? "null" : shape(item)));
            }
        }
        return items;
    }

    /** A text value with where it was written. */
    record Scalar(String field, String value, int line) {
    }
}
