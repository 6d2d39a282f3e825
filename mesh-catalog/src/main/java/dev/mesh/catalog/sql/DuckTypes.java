package dev.mesh.catalog.sql;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A product's Avro schema as DuckDB column types: decimals as DECIMAL(p,s), instants as TIMESTAMPTZ, dates, times,
 * uuids, enums as ENUM, arrays as LIST, records as STRUCT, maps as MAP. Rows are kept in the {@link #kept} form
 * (enums as text, which Parquet keeps) and cast to these on loading.
 */
final class DuckTypes {
    private static final int MAX_DECIMAL_PRECISION = 38;

    private DuckTypes() {
    }

    /** Whether DuckDB's DECIMAL holds the decimal (else it is a DOUBLE). */
    static boolean fitsDecimal(LogicalTypes.Decimal d) {
        return d.getPrecision() <= MAX_DECIMAL_PRECISION;
    }

    static String of(Schema s) {
        return type(s, Form.QUERY);
    }

    /** The type rows are kept as in Parquet: enums as text. */
    static String kept(Schema s) {
        return type(s, Form.KEPT);
    }

    /**
     * The type rows are appended as: as kept, but a list or map of records as its JSON (DuckDB's appender takes
     * those slowly, element by element, its JSON cast quickly).
     */
    static String appended(Schema s) {
        return type(s, Form.APPENDED);
    }

    /** Whether the appended form of this list or map is its JSON. */
    static boolean appendedAsJson(Schema s) {
        return (s.getType() == Schema.Type.ARRAY || s.getType() == Schema.Type.MAP) && holdsRecord(s);
    }

    private enum Form { QUERY, KEPT, APPENDED }

    private static boolean holdsRecord(Schema s) {
        return switch (s.getType()) {
            case RECORD -> true;
            case UNION -> s.getTypes().stream().anyMatch(DuckTypes::holdsRecord);
            case ARRAY -> holdsRecord(s.getElementType());
            case MAP -> holdsRecord(s.getValueType());
            default -> false;
        };
    }

    private static String type(Schema s, Form form) {
        if (s.getType() == Schema.Type.UNION) {
            List<Schema> nonNull = s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
            return nonNull.size() == 1 ? type(nonNull.get(0), form) : "JSON"; // a union of several types: its JSON
        }
        if (form == Form.APPENDED && appendedAsJson(s)) {
            return "JSON";
        }
        if (s.getLogicalType() instanceof LogicalTypes.Decimal d) {
            return fitsDecimal(d) ? "DECIMAL(" + d.getPrecision() + "," + d.getScale() + ")" : "DOUBLE";
        }
        String logical = s.getLogicalType() == null ? "" : s.getLogicalType().getName();
        switch (logical) {
            case "uuid":
                return "UUID";
            case "date":
                return "DATE";
            case "time-millis", "time-micros":
                return "TIME";
            case "timestamp-millis", "timestamp-micros", "timestamp-nanos":
                return "TIMESTAMPTZ";
            case "local-timestamp-millis", "local-timestamp-micros", "local-timestamp-nanos":
                return "TIMESTAMP";
            default:
                break;
        }
        return switch (s.getType()) {
            case STRING, BYTES, FIXED -> "VARCHAR"; // bytes as base64 text
            case INT -> "INTEGER";
            case LONG -> "BIGINT";
            case FLOAT -> "FLOAT";
            case DOUBLE -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            case ENUM -> form != Form.QUERY ? "VARCHAR" : "ENUM(" + s.getEnumSymbols().stream().map(DuckTypes::literal).collect(Collectors.joining(", ")) + ")";
            case ARRAY -> type(s.getElementType(), form) + "[]";
            case MAP -> "MAP(VARCHAR, " + type(s.getValueType(), form) + ")";
            case RECORD -> "STRUCT(" + s.getFields().stream().map(f -> identifier(f.name()) + " " + type(f.schema(), form))
                    .collect(Collectors.joining(", ")) + ")";
            default -> "JSON";
        };
    }

    /** Whether the field is PII-tagged or holds a field that is: a query that may not see PII gets the whole column masked. */
    static boolean holdsPii(Schema.Field field) {
        Object tags = field.getObjectProp("confluent:tags");
        if (tags instanceof java.util.Collection<?> c && c.stream().anyMatch(t -> dev.mesh.sdk.ops.MeshOps.PII_TAGS.contains(String.valueOf(t)))) {
            return true;
        }
        return nested(field.schema());
    }

    private static boolean nested(Schema s) {
        return switch (s.getType()) {
            case UNION -> s.getTypes().stream().anyMatch(DuckTypes::nested);
            case ARRAY -> nested(s.getElementType());
            case MAP -> nested(s.getValueType());
            case RECORD -> s.getFields().stream().anyMatch(DuckTypes::holdsPii);
            default -> false;
        };
    }

    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
