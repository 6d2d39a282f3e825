package dev.mesh.catalog.sql;

import dev.mesh.sdk.json.AvroJson;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.duckdb.DuckDBAppender;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Appends decoded Avro values to a DuckDB column of the type {@link DuckTypes#appended} gives their schema, value by
 * value: records nest as structs, lists and maps go as Java collections; a list or map of records goes as its JSON,
 * which DuckDB casts to the kept type far faster than its appender takes records inside a collection.
 */
final class AvroAppender {
    private AvroAppender() {
    }

    static void append(DuckDBAppender a, Schema s, Object v) throws SQLException {
        if (v == null) {
            a.appendNull();
            return;
        }
        if (s.getType() == Schema.Type.UNION) {
            List<Schema> nonNull = nonNull(s);
            if (nonNull.size() == 1) {
                append(a, nonNull.get(0), v);
            } else {
                a.append(AvroJson.text(v)); // a union of several types: its JSON
            }
            return;
        }
        if (s.getType() == Schema.Type.RECORD) {
            IndexedRecord record = (IndexedRecord) v;
            a.beginStruct();
            for (Schema.Field f : s.getFields()) {
                append(a, f.schema(), record.get(f.pos()));
            }
            a.endStruct();
            return;
        }
        if (DuckTypes.appendedAsJson(s)) {
            a.append(AvroJson.text(v));
            return;
        }
        Object plain = plain(s, v);
        if (plain instanceof String text) {
            a.append(text);
        } else if (plain instanceof Integer i) {
            a.append((int) i);
        } else if (plain instanceof Long l) {
            a.append((long) l);
        } else if (plain instanceof Double d) {
            a.append((double) d);
        } else if (plain instanceof Float f) {
            a.append((float) f);
        } else if (plain instanceof Boolean b) {
            a.append((boolean) b);
        } else if (plain instanceof BigDecimal d) {
            a.append(d);
        } else if (plain instanceof java.time.OffsetDateTime t) {
            a.append(t);
        } else if (plain instanceof LocalDateTime t) {
            a.append(t);
        } else if (plain instanceof LocalDate d) {
            a.append(d);
        } else if (plain instanceof LocalTime t) {
            a.append(t);
        } else if (plain instanceof UUID u) {
            a.append(u);
        } else if (plain instanceof Map<?, ?> m) {
            a.append(m);
        } else if (plain instanceof Collection<?> c) {
            a.append(c);
        } else {
            a.append(plain.toString());
        }
    }

    /** The value as the Java object DuckDB's appender takes for its appended type (records never: see append). */
    private static Object plain(Schema s, Object v) {
        if (v == null) {
            return null;
        }
        switch (s.getType()) {
            case UNION -> {
                List<Schema> nonNull = nonNull(s);
                return nonNull.size() == 1 ? plain(nonNull.get(0), v) : AvroJson.text(v);
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (Object e : (Collection<?>) v) {
                    list.add(plain(s.getElementType(), e));
                }
                return list;
            }
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                ((Map<?, ?>) v).forEach((k, e) -> map.put(k.toString(), plain(s.getValueType(), e)));
                return map;
            }
            default -> {
                return scalar(s, v);
            }
        }
    }

    private static Object scalar(Schema s, Object v) {
        if (s.getLogicalType() instanceof LogicalTypes.Decimal d) {
            BigDecimal decimal = (BigDecimal) v;
            return DuckTypes.fitsDecimal(d) ? decimal : (Object) decimal.doubleValue();
        }
        String logical = s.getLogicalType() == null ? "" : s.getLogicalType().getName();
        switch (logical) {
            case "uuid":
                return v instanceof UUID u ? u : UUID.fromString(v.toString());
            case "date":
                return v instanceof LocalDate d ? d : LocalDate.ofEpochDay((Integer) v);
            case "time-millis":
                return v instanceof LocalTime t ? t : LocalTime.ofNanoOfDay((Integer) v * 1_000_000L);
            case "time-micros":
                return v instanceof LocalTime t ? t : LocalTime.ofNanoOfDay((Long) v * 1_000L);
            case "timestamp-millis", "timestamp-micros", "timestamp-nanos":
                return instant(logical, v).atOffset(ZoneOffset.UTC);
            case "local-timestamp-millis", "local-timestamp-micros", "local-timestamp-nanos":
                return v instanceof LocalDateTime t ? t : LocalDateTime.ofInstant(instant(logical, v), ZoneOffset.UTC);
            default:
                break;
        }
        return switch (s.getType()) {
            case STRING, ENUM -> v.toString();
            case BYTES -> Base64.getEncoder().encodeToString(bytes((ByteBuffer) v));
            case FIXED -> Base64.getEncoder().encodeToString(((GenericFixed) v).bytes());
            default -> v; // int, long, float, double, boolean as they are
        };
    }

    private static Instant instant(String logical, Object v) {
        if (v instanceof Instant i) {
            return i;
        }
        long n = (Long) v;
        return logical.endsWith("millis") ? Instant.ofEpochMilli(n)
                : logical.endsWith("micros") ? Instant.ofEpochSecond(0, n * 1_000L) : Instant.ofEpochSecond(0, n);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return bytes;
    }

    private static List<Schema> nonNull(Schema union) {
        return union.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
    }
}
