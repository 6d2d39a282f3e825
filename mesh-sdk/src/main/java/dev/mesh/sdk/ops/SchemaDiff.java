package dev.mesh.sdk.ops;

import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** A readable, field-level diff between two versions of a record schema: added, removed and changed fields. */
public final class SchemaDiff {
    private SchemaDiff() {
    }

    /** One change; {@code field} is a path such as {@code lines[].unitPrice}. */
    public record Change(String kind, String field, String before, String after) {
        @Override
        public String toString() {
            return switch (kind) {
                case "added" -> "+ " + field + ": " + after;
                case "removed" -> "- " + field + ": " + before;
                default -> "~ " + field + ": " + kind + " " + before + " -> " + after;
            };
        }
    }

    public static List<Change> diff(Schema from, Schema to) {
        List<Change> changes = new ArrayList<>();
        compare("", from, to, changes, new HashSet<>());
        return changes;
    }

    private static void compare(String path, Schema a, Schema b, List<Change> out, Set<String> visited) {
        if (a.getType() == Schema.Type.RECORD && b.getType() == Schema.Type.RECORD) {
            if (!visited.add(path + "|" + a.getFullName())) {
                return;
            }
            Map<String, Schema.Field> before = fields(a);
            Map<String, Schema.Field> after = fields(b);
            for (Schema.Field f : before.values()) {
                if (!after.containsKey(f.name())) {
                    out.add(new Change("removed", join(path, f.name()), describe(f), null));
                }
            }
            for (Schema.Field f : after.values()) {
                Schema.Field old = before.get(f.name());
                String p = join(path, f.name());
                if (old == null) {
                    out.add(new Change("added", p, null, describe(f)));
                    continue;
                }
                compare(p, old.schema(), f.schema(), out, visited);
                if (!Objects.equals(old.doc(), f.doc())) {
                    out.add(new Change("doc", p, quote(old.doc()), quote(f.doc())));
                }
                if (!defaultText(old).equals(defaultText(f))) {
                    out.add(new Change("default", p, defaultText(old), defaultText(f)));
                }
                if (!Objects.equals(old.getObjectProp("confluent:tags"), f.getObjectProp("confluent:tags"))) {
                    out.add(new Change("tags", p, String.valueOf(old.getObjectProp("confluent:tags")),
                            String.valueOf(f.getObjectProp("confluent:tags"))));
                }
            }
            return;
        }
        if (a.getType() == Schema.Type.ARRAY && b.getType() == Schema.Type.ARRAY) {
            compare(path + "[]", a.getElementType(), b.getElementType(), out, visited);
            return;
        }
        if (a.getType() == Schema.Type.MAP && b.getType() == Schema.Type.MAP) {
            compare(path + "{}", a.getValueType(), b.getValueType(), out, visited);
            return;
        }
        if (a.getType() == Schema.Type.ENUM && b.getType() == Schema.Type.ENUM) {
            List<String> added = new ArrayList<>(b.getEnumSymbols());
            added.removeAll(a.getEnumSymbols());
            List<String> removed = new ArrayList<>(a.getEnumSymbols());
            removed.removeAll(b.getEnumSymbols());
            if (!added.isEmpty() || !removed.isEmpty()) {
                out.add(new Change("symbols", path, "removed " + removed, "added " + added));
            }
            return;
        }
        String before = typeName(a);
        String after = typeName(b);
        if (!before.equals(after)) {
            out.add(new Change("type", path, before, after));
        }
    }


    private static Map<String, Schema.Field> fields(Schema record) {
        Map<String, Schema.Field> m = new LinkedHashMap<>();
        record.getFields().forEach(f -> m.put(f.name(), f));
        return m;
    }

    private static String describe(Schema.Field f) {
        return typeName(f.schema()) + (f.hasDefaultValue() ? " = " + defaultText(f) : "");
    }

    private static String defaultText(Schema.Field f) {
        if (!f.hasDefaultValue()) {
            return "none";
        }
        Object value = f.defaultVal();
        return value == org.apache.avro.JsonProperties.NULL_VALUE ? "null" : String.valueOf(value);
    }

    /** A type as a person reads it: {@code decimal(12,2)}, {@code timestamp-millis}, {@code optional string}. */
    public static String typeName(Schema s) {
        if (s.getLogicalType() != null) {
            if (s.getLogicalType() instanceof org.apache.avro.LogicalTypes.Decimal d) {
                return "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
            }
            return s.getLogicalType().getName();
        }
        return switch (s.getType()) {
            case RECORD -> "record " + s.getName();
            case ENUM -> "enum " + s.getName() + s.getEnumSymbols();
            case ARRAY -> "array<" + typeName(s.getElementType()) + ">";
            case MAP -> "map<" + typeName(s.getValueType()) + ">";
            case FIXED -> "fixed(" + s.getFixedSize() + ")";
            case UNION -> {
                List<Schema> branches = s.getTypes();
                if (branches.size() == 2 && branches.get(0).getType() == Schema.Type.NULL) {
                    yield "optional " + typeName(branches.get(1));
                }
                yield "union" + branches.stream().map(SchemaDiff::typeName).toList();
            }
            default -> s.getType().getName();
        };
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String quote(String s) {
        return s == null ? "none" : "\"" + s + "\"";
    }
}
