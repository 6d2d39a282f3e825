package dev.mesh.sdk.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.mesh.sdk.kafka.JsonTopic;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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
    /** Decimals as they were written: 12.50 stays 12.50. */
    private static final ObjectReader TREE = JsonTopic.JSON.reader().without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

    private AvroJson() {
    }

    public static JsonNode toJson(Object value) {
        return toJson(value, f -> false);
    }

    public static JsonNode toJson(Object value, Predicate<Schema.Field> masked) {
        try (TokenBuffer tokens = new TokenBuffer(JsonTopic.JSON, false)) {
            write(value, masked, tokens);
            return TREE.readTree(tokens.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value's JSON text, written as it is walked (no tree in between): for many values, such as a query's rows. */
    public static String text(Object value) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = JsonTopic.JSON.getFactory().createGenerator(out)) {
            write(value, f -> false, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(Object value, Predicate<Schema.Field> masked, JsonGenerator g) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof IndexedRecord record) {
            g.writeStartObject();
            for (Schema.Field field : record.getSchema().getFields()) {
                Object v = record.get(field.pos());
                g.writeFieldName(field.name());
                if (masked.test(field) && v != null) {
                    g.writeString(MASK);
                } else {
                    write(v, masked, g);
                }
            }
            g.writeEndObject();
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof Instant || value instanceof LocalDate || value instanceof CharSequence
                || value instanceof GenericEnumSymbol<?> || value instanceof Enum<?>) {
            g.writeString(value.toString());
        } else if (value instanceof Integer i) {
            g.writeNumber(i);
        } else if (value instanceof Long l) {
            g.writeNumber(l);
        } else if (value instanceof Double d) {
            g.writeNumber(d);
        } else if (value instanceof Float f) {
            g.writeNumber(f);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof ByteBuffer b) {
            byte[] bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            g.writeString(Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof GenericFixed f) {
            g.writeString(Base64.getEncoder().encodeToString(f.bytes()));
        } else if (value instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object v : c) {
                write(v, masked, g);
            }
            g.writeEndArray();
        } else if (value instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(e.getKey().toString());
                write(e.getValue(), masked, g);
            }
            g.writeEndObject();
        } else {
            g.writeString(value.toString());
        }
    }

    /** Whether a field carries one of the tags in {@code "confluent:tags"}, e.g. PII. */
    public static Predicate<Schema.Field> taggedWith(Set<String> tags) {
        return field -> {
            Object t = field.getObjectProp("confluent:tags");
            return t instanceof Collection<?> c && c.stream().anyMatch(x -> tags.contains(String.valueOf(x)));
        };
    }
}
