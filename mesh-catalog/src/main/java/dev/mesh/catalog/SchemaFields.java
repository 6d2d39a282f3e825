package dev.mesh.catalog;

import dev.mesh.sdk.ops.SchemaDiff;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A record schema as rows a person reads: nested records flattened under their parent's path. */
public final class SchemaFields {
    private SchemaFields() {
    }

    public static List<FieldRow> of(Schema record) {
        List<FieldRow> rows = new ArrayList<>();
        if (record.getType() == Schema.Type.RECORD) {
            add(record, "", 0, rows, new HashSet<>());
        }
        return rows;
    }

    private static void add(Schema record, String prefix, int depth, List<FieldRow> rows, Set<String> path) {
        // A recursive type would otherwise unfold forever.
        if (!path.add(record.getFullName())) {
            return;
        }
        for (Schema.Field f : record.getFields()) {
            List<String> tags = tags(f);
            String fieldPath = prefix + f.name();
            rows.add(new FieldRow(fieldPath, f.name(), depth, SchemaDiff.typeName(f.schema()), f.doc(), tags,
                    tags.contains("PII"), f.hasDefaultValue() ? defaultText(f) : null));
            Nested nested = nested(f.schema());
            if (nested != null) {
                add(nested.record, fieldPath + nested.suffix + ".", depth + 1, rows, path);
            }
        }
        path.remove(record.getFullName());
    }

    private record Nested(Schema record, String suffix) {
    }

    private static Nested nested(Schema s) {
        return switch (s.getType()) {
            case RECORD -> new Nested(s, "");
            case ARRAY -> suffixed(nested(s.getElementType()), "[]");
            case MAP -> suffixed(nested(s.getValueType()), "{}");
            case UNION -> s.getTypes().stream().map(SchemaFields::nested).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            default -> null;
        };
    }

    private static Nested suffixed(Nested inner, String suffix) {
        return inner == null ? null : new Nested(inner.record, suffix + inner.suffix);
    }

    @SuppressWarnings("unchecked")
    private static List<String> tags(Schema.Field f) {
        Object tags = f.getObjectProp("confluent:tags");
        return tags instanceof List<?> list ? ((List<Object>) list).stream().map(String::valueOf).toList() : List.of();
    }

    private static String defaultText(Schema.Field f) {
        Object v = f.defaultVal();
        return v == org.apache.avro.JsonProperties.NULL_VALUE ? "null" : String.valueOf(v);
    }
}
