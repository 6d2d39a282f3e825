package dev.mesh.catalog.sql;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Whether a record's decimals fit the DECIMAL(p,s) columns they are kept in. A raw client can write a decimal longer
 * than its schema says where no contract bounds the product; such a record is kept as skipped, with why: the field and
 * its size, never its value (the reason is shown to callers who may not see the field).
 */
final class DecimalFit {
    /** Why a value does not fit its column, or null. */
    private interface Check {
        String unfit(Object value);
    }

    private final Check check;

    DecimalFit(Schema schema) {
        this.check = check("", schema);
    }

    /** Why a decimal of the record does not fit its column, or null when all do. */
    String unfit(IndexedRecord record) {
        return check == null ? null : check.unfit(record);
    }

    /** The check of a value of {@code s} at {@code path}; null when every value of it fits (no decimal in it). */
    private static Check check(String path, Schema s) {
        if (s.getType() == Schema.Type.UNION) {
            Schema only = DuckTypes.onlyBranch(s);
            Check one = only != null ? check(path, only) : null; // several types: kept as JSON text
            return one == null ? null : v -> v == null ? null : one.unfit(v);
        }
        if (s.getLogicalType() instanceof LogicalTypes.Decimal d) {
            return !DuckTypes.fitsDecimal(d) ? null : v -> {
                BigDecimal decimal = (BigDecimal) v;
                return decimal.scale() == d.getScale() && decimal.precision() <= d.getPrecision() ? null
                        : path + " has " + decimal.precision() + " digits at scale " + decimal.scale() + ", more than DECIMAL("
                        + d.getPrecision() + "," + d.getScale() + ") holds";
            };
        }
        return switch (s.getType()) {
            case RECORD -> record(path, s);
            case ARRAY -> {
                Check element = check(path + "[]", s.getElementType());
                yield element == null ? null : v -> first((Collection<?>) v, element);
            }
            case MAP -> {
                Check value = check(path + "{}", s.getValueType());
                yield value == null ? null : v -> first(((Map<?, ?>) v).values(), value);
            }
            default -> null;
        };
    }

    private static Check record(String path, Schema s) {
        List<Check> checks = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (Schema.Field f : s.getFields()) {
            Check c = check(path.isEmpty() ? f.name() : path + "." + f.name(), f.schema());
            if (c != null) {
                checks.add(c);
                positions.add(f.pos());
            }
        }
        return checks.isEmpty() ? null : v -> {
            for (int c = 0; c < checks.size(); c++) {
                Object field = ((IndexedRecord) v).get(positions.get(c));
                String why = field == null ? null : checks.get(c).unfit(field);
                if (why != null) {
                    return why;
                }
            }
            return null;
        };
    }

    private static String first(Collection<?> values, Check check) {
        for (Object v : values) {
            String why = v == null ? null : check.unfit(v);
            if (why != null) {
                return why;
            }
        }
        return null;
    }
}
