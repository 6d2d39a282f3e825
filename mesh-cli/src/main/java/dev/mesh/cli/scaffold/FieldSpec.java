package dev.mesh.cli.scaffold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;

/**
 * One field given on the command line as {@code name:type[:doc]}: type is string, int, long, double, boolean,
 * decimal (12,2), timestamp (timestamp-millis), date, or enum(A|B|C); a trailing {@code ?} makes it optional.
 */
public record FieldSpec(String name, String type, boolean optional, String doc) {
    public static final List<String> TYPES = List.of("string", "int", "long", "double", "boolean", "decimal", "timestamp", "date", "enum(A|B|...)");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** @throws IllegalArgumentException saying what is wrong with the spec */
    public static FieldSpec parse(String spec) {
        String[] parts = spec.split(":", 3);
        if (parts.length < 2 || !parts[0].matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("--field '" + spec + "': expected name:type[:doc], e.g. orderId:string");
        }
        String type = parts[1].trim();
        boolean optional = type.endsWith("?");
        type = optional ? type.substring(0, type.length() - 1) : type;
        String t = type.toLowerCase(Locale.ROOT);
        if (!List.of("string", "int", "long", "double", "boolean", "decimal", "timestamp", "date").contains(t)
                && !type.matches("enum\\([A-Z][A-Z0-9_]*(\\|[A-Z][A-Z0-9_]*)*\\)")) {
            throw new IllegalArgumentException("--field '" + spec + "': unknown type '" + type + "'; use one of " + TYPES);
        }
        String doc = parts.length == 3 && !parts[2].isBlank() ? parts[2].trim() : "TODO: what " + parts[0] + " means.";
        return new FieldSpec(parts[0], type.startsWith("enum(") ? type : t, optional, doc);
    }

    boolean isTimestamp() {
        return type.equals("timestamp");
    }

    /** The field as an Avro schema field. */
    ObjectNode avro() {
        ObjectNode field = JSON.objectNode();
        field.put("name", name);
        JsonNode t = switch (type) {
            case "decimal" -> JSON.objectNode().put("type", "bytes").put("logicalType", "decimal").put("precision", 12).put("scale", 2);
            case "timestamp" -> JSON.objectNode().put("type", "long").put("logicalType", "timestamp-millis");
            case "date" -> JSON.objectNode().put("type", "int").put("logicalType", "date");
            case "string", "int", "long", "double", "boolean" -> JSON.textNode(type);
            default -> {
                ObjectNode e = JSON.objectNode().put("type", "enum")
                        .put("name", Character.toUpperCase(name.charAt(0)) + name.substring(1));
                var symbols = e.putArray("symbols");
                for (String s : type.substring(5, type.length() - 1).split("\\|")) {
                    symbols.add(s);
                }
                yield e;
            }
        };
        field.set("type", optional ? JSON.arrayNode().add("null").add(t) : t);
        if (optional) {
            field.putNull("default");
        }
        field.put("doc", doc);
        return field;
    }
}
