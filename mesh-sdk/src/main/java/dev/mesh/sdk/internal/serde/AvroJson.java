package dev.mesh.sdk.internal.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Avro values as plain JSON for people and scripts: decimals as numbers, instants as ISO-8601, enums as strings,
 * no union wrappers. Fields matching {@code masked} (e.g. PII-tagged ones) are replaced by a mask.
 */
public final class AvroJson {
    public static final String MASK = "***";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AvroJson() {
    }

    public static JsonNode toJson(Object value) {
        return toJson(value, f -> false);
    }

    public static JsonNode toJson(Object value, Predicate<Schema.Field> masked) {
        if (value == null) {
            return F.nullNode();
        }
        if (value instanceof IndexedRecord record) {
            ObjectNode node = F.objectNode();
            for (Schema.Field field : record.getSchema().getFields()) {
                Object v = record.get(field.pos());
                node.set(field.name(), masked.test(field) && v != null ? F.textNode(MASK) : toJson(v, masked));
            }
            return node;
        }
        if (value instanceof BigDecimal d) {
            return F.numberNode(d);
        }
        if (value instanceof Instant i) {
            return F.textNode(i.toString());
        }
        if (value instanceof LocalDate d) {
            return F.textNode(d.toString());
        }
        if (value instanceof CharSequence || value instanceof GenericEnumSymbol<?> || value instanceof Enum<?>) {
            return F.textNode(value.toString());
        }
        if (value instanceof Integer i) {
            return F.numberNode(i);
        }
        if (value instanceof Long l) {
            return F.numberNode(l);
        }
        if (value instanceof Double d) {
            return F.numberNode(d);
        }
        if (value instanceof Float f) {
            return F.numberNode(f);
        }
        if (value instanceof Boolean b) {
            return F.booleanNode(b);
        }
        if (value instanceof ByteBuffer b) {
            byte[] bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            return F.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof GenericFixed f) {
            return F.textNode(Base64.getEncoder().encodeToString(f.bytes()));
        }
        if (value instanceof Collection<?> c) {
            ArrayNode array = F.arrayNode();
            c.forEach(v -> array.add(toJson(v, masked)));
            return array;
        }
        if (value instanceof Map<?, ?> m) {
            ObjectNode node = F.objectNode();
            m.forEach((k, v) -> node.set(k.toString(), toJson(v, masked)));
            return node;
        }
        return F.textNode(value.toString());
    }

    /** Whether a field carries one of the tags in {@code "confluent:tags"}, e.g. PII. */
    public static Predicate<Schema.Field> taggedWith(Set<String> tags) {
        return field -> {
            Object t = field.getObjectProp("confluent:tags");
            return t instanceof Collection<?> c && c.stream().anyMatch(x -> tags.contains(String.valueOf(x)));
        };
    }
}
