package dev.mesh.catalog.sql;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A product's Avro schema as DuckDB column types: decimals as DECIMAL(p,s), instants as TIMESTAMPTZ, dates, times,
 * uuids, enums as ENUM, arrays as LIST, records as STRUCT, maps as MAP. Rows are kept in the {@link #stored} form
 * (enums and unions of several types as text, which DuckDB's appender and Parquet take) and cast to these on loading.
 */
final class DuckTypes {
    private static final int MAX_DECIMAL_PRECISION = 38;

    private DuckTypes() {
    }

    static String of(Schema s) {
        return type(s, false);
    }

    /** The type rows are kept and appended as: enums and unions of several types as text. */
    static String stored(Schema s) {
        return type(s, true);
    }

    private static String type(Schema s, boolean stored) {
        if (s.getType() == Schema.Type.UNION) {
            List<Schema> nonNull = s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
            return nonNull.size() == 1 ? type(nonNull.get(0), stored) : stored ? "VARCHAR" : "JSON"; // a union of several types: its JSON
        }
        if (s.getLogicalType() instanceof LogicalTypes.Decimal d) {
            return d.getPrecision() <= MAX_DECIMAL_PRECISION ? "DECIMAL(" + d.getPrecision() + "," + d.getScale() + ")" : "DOUBLE";
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
            case ENUM -> stored ? "VARCHAR" : "ENUM(" + s.getEnumSymbols().stream().map(DuckTypes::literal).collect(Collectors.joining(", ")) + ")";
            case ARRAY -> type(s.getElementType(), stored) + "[]";
            case MAP -> "MAP(VARCHAR, " + type(s.getValueType(), stored) + ")";
            case RECORD -> "STRUCT(" + s.getFields().stream().map(f -> identifier(f.name()) + " " + type(f.schema(), stored))
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
