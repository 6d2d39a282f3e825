package dev.mesh.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Random;
import java.util.UUID;

/**
 * Plausible records of a schema as JSON, for demo traffic: ids like {@code r-1f3a...}, enum symbols, decimals
 * within their precision, timestamps of now. They are read by the product's intake reader like any client's, so
 * what comes out is always a valid record of the schema; whether it keeps the contract's rules is checked apart.
 */
final class SampleRecords {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String[] WORDS = {"alpha", "bravo", "delta", "echo", "lima", "oscar", "tango", "zulu"};

    private final Random random;
    private final Clock clock;

    SampleRecords(Random random, Clock clock) {
        this.random = random;
        this.clock = clock;
    }

    ObjectNode record(Schema schema) {
        ObjectNode out = JSON.objectNode();
        for (Schema.Field f : schema.getFields()) {
            out.set(f.name(), value(f.schema(), f.name()));
        }
        return out;
    }

    private JsonNode value(Schema schema, String name) {
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal d) {
            long whole = Math.min(1_000, (long) Math.pow(10, d.getPrecision() - d.getScale()) - 1);
            return JSON.numberNode(BigDecimal.valueOf(1 + random.nextLong(Math.max(1, whole * 100)), 2)
                    .setScale(d.getScale(), java.math.RoundingMode.DOWN));
        }
        if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros) {
            return JSON.textNode(clock.instant().toString());
        }
        if (logical instanceof LogicalTypes.Date) {
            return JSON.textNode(LocalDate.now(clock).toString());
        }
        if (logical != null && logical.getName().equals("uuid")) {
            return JSON.textNode(UUID.randomUUID().toString());
        }
        return switch (schema.getType()) {
            case RECORD -> record(schema);
            case ENUM -> JSON.textNode(schema.getEnumSymbols().get(random.nextInt(schema.getEnumSymbols().size())));
            case ARRAY -> {
                ArrayNode items = JSON.arrayNode();
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    items.add(value(schema.getElementType(), name));
                }
                yield items;
            }
            case MAP -> JSON.objectNode().set(WORDS[random.nextInt(WORDS.length)], value(schema.getValueType(), name));
            case UNION -> value(schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst()
                    .orElse(schema.getTypes().get(0)), name);
            case STRING -> JSON.textNode(name.endsWith("Id") ? name.charAt(0) + "-" + UUID.randomUUID().toString().substring(0, 12)
                    : WORDS[random.nextInt(WORDS.length)]);
            case INT, LONG -> JSON.numberNode(1 + random.nextInt(100));
            case FLOAT, DOUBLE -> JSON.numberNode(Math.round(random.nextDouble() * 10_000) / 100.0);
            case BOOLEAN -> JSON.booleanNode(random.nextBoolean());
            case BYTES, FIXED -> JSON.textNode("");
            case NULL -> JSON.nullNode();
        };
    }
}
