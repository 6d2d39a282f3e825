package dev.mesh.catalog.sql;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A product's Avro schema as DuckDB column types: decimals as DECIMAL(p,s), instants as TIMESTAMPTZ, dates, times,
 * uuids, enums as ENUM, arrays as LIST, records as STRUCT, maps as MAP. Rows are kept as {@link ArrowRows} writes
 * them (enums, uuids and unions of several types as text) and a query's view casts each field to these.
 */
final class DuckTypes {
    private static final int MAX_DECIMAL_PRECISION = 38;

    private DuckTypes() {
    }

    /** Whether DuckDB's DECIMAL holds the decimal (else it is a DOUBLE). */
    static boolean fitsDecimal(LogicalTypes.Decimal d) {
        return d.getPrecision() <= MAX_DECIMAL_PRECISION;
    }

    /** The one type of an optional union ({@code ["null", T]}), or null when the union has several: it is kept as JSON. */
    static Schema onlyBranch(Schema union) {
        List<Schema> nonNull = union.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
        return nonNull.size() == 1 ? nonNull.get(0) : null;
    }

    static String of(Schema s) {
        if (s.getType() == Schema.Type.UNION) {
            Schema only = onlyBranch(s);
            return only != null ? of(only) : "JSON"; // a union of several types: its JSON
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
            case ENUM -> "ENUM(" + s.getEnumSymbols().stream().map(DuckTypes::literal).collect(Collectors.joining(", ")) + ")";
            case ARRAY -> of(s.getElementType()) + "[]";
            case MAP -> "MAP(VARCHAR, " + of(s.getValueType()) + ")";
            case RECORD -> "STRUCT(" + s.getFields().stream().map(f -> identifier(f.name()) + " " + of(f.schema()))
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
