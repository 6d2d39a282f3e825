package dev.mesh.cli.scaffold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;

/**
 * An Avro record schema (as JSON) inferred from one sample JSON record: strings that read as instants become
 * timestamp-millis, as dates become date; whole numbers long; numbers with a fraction decimal(12,2) when they have
 * at most two decimals (money), else double; objects nested records; arrays take their first element's type; a
 * null field an optional string. Every field gets a doc to be rewritten by its owner.
 */
public final class SchemaInference {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SchemaInference() {
    }

    /** @throws IllegalArgumentException naming what is wrong with the sample */
    public static ObjectNode fromSample(String sample, String name, String namespace) {
        JsonNode root;
        try {
            root = MAPPER.readTree(sample);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the sample is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new IllegalArgumentException("the sample must be a JSON object with at least one field");
        }
        ObjectNode schema = record(name, (ObjectNode) root, "");
        schema.put("namespace", namespace);
        return schema;
    }

    private static ObjectNode record(String name, ObjectNode sample, String path) {
        ObjectNode record = JSON.objectNode();
        record.put("type", "record");
        record.put("name", name);
        record.put("doc", "TODO: what one " + name + " record is.");
        ArrayNode fields = record.putArray("fields");
        for (Iterator<Map.Entry<String, JsonNode>> it = sample.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("field '" + path + e.getKey() + "' is not a valid Avro name");
            }
            ObjectNode field = fields.addObject();
            field.put("name", e.getKey());
            field.set("type", type(e.getKey(), e.getValue(), path + e.getKey() + "."));
            if (e.getValue().isNull()) {
                field.putNull("default");
            }
            field.put("doc", "TODO: what " + e.getKey() + " means.");
        }
        return record;
    }

    private static JsonNode type(String name, JsonNode value, String path) {
        if (value.isNull()) {
            return JSON.arrayNode().add("null").add("string");
        }
        if (value.isBoolean()) {
            return JSON.textNode("boolean");
        }
        if (value.isIntegralNumber()) {
            return JSON.textNode("long");
        }
        if (value.isNumber()) {
            BigDecimal d = value.decimalValue();
            if (d.scale() <= 2) {
                return JSON.objectNode().put("type", "bytes").put("logicalType", "decimal").put("precision", 12).put("scale", 2);
            }
            return JSON.textNode("double");
        }
        if (value.isTextual()) {
            if (isInstant(value.asText())) {
                return JSON.objectNode().put("type", "long").put("logicalType", "timestamp-millis");
            }
            if (isDate(value.asText())) {
                return JSON.objectNode().put("type", "int").put("logicalType", "date");
            }
            return JSON.textNode("string");
        }
        if (value.isObject()) {
            return record(Character.toUpperCase(name.charAt(0)) + name.substring(1), (ObjectNode) value, path);
        }
        if (value.isArray()) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("array '" + path.substring(0, path.length() - 1)
                        + "' is empty: give one element so its type can be inferred");
            }
            String item = name.endsWith("s") ? name.substring(0, name.length() - 1) : name + "Item";
            return JSON.objectNode().put("type", "array").set("items", type(item, value.get(0), path));
        }
        throw new IllegalArgumentException("cannot infer a type for '" + path + "'");
    }

    private static boolean isInstant(String text) {
        try {
            Instant.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isDate(String text) {
        try {
            LocalDate.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
