package dev.mesh.sdk.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a new schema against existing versions at a compatibility level with Avro's own
 * {@link SchemaCompatibility}, and says exactly what broke: subject, field path, old and new, and who cannot
 * read whom.
 */
public final class CompatibilityChecker {
    private CompatibilityChecker() {
    }

    /** An existing version to check against. */
    public record Existing(int version, Schema schema) {
    }

    /**
     * @param existing non-deleted versions, oldest first
     * @return one message per incompatibility; empty when compatible
     */
    public static List<String> check(String subject, Schema candidate, List<Existing> existing, CompatibilityLevel level) {
        if (level == CompatibilityLevel.NONE || existing.isEmpty()) {
            return List.of();
        }
        List<Existing> against = level.transitive ? existing : List.of(existing.get(existing.size() - 1));
        List<String> messages = new ArrayList<>();
        for (Existing old : against) {
            if (level.newReadsOld) {
                explain(subject, candidate, old.schema(), "the new schema", "version " + old.version(), true, messages);
            }
            if (level.oldReadsNew) {
                explain(subject, old.schema(), candidate, "version " + old.version(), "the new schema", false, messages);
            }
        }
        return messages;
    }

    private static void explain(String subject, Schema reader, Schema writer, String readerName, String writerName,
                                boolean readerIsNew, List<String> messages) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (Incompatibility inc : result.getResult().getIncompatibilities()) {
            String where = FieldPath.describe(reader, inc.getLocation());
            String what = describe(inc, where, readerIsNew);
            messages.add(subject + ": " + what + "; " + readerName + " (reader) cannot read data written with "
                    + writerName + " (writer)");
        }
    }

    private static String describe(Incompatibility inc, String where, boolean readerIsNew) {
        Schema r = inc.getReaderFragment();
        Schema w = inc.getWriterFragment();
        Schema oldS = readerIsNew ? w : r;
        Schema newS = readerIsNew ? r : w;
        return switch (inc.getType()) {
            case TYPE_MISMATCH -> where + " changed type from " + typeName(oldS) + " to " + typeName(newS);
            case READER_FIELD_MISSING_DEFAULT_VALUE -> readerIsNew
                    ? where + " was added without a default value"
                    : where + " was removed, and the old schema has no default value for it";
            case MISSING_ENUM_SYMBOLS -> readerIsNew
                    ? where + " (enum " + r.getName() + ") dropped symbols " + inc.getMessage()
                    : where + " (enum " + r.getName() + ") gained symbols " + inc.getMessage()
                      + " that the old schema does not know";
            case MISSING_UNION_BRANCH -> readerIsNew
                    ? where + " no longer accepts " + typeName(w) + " (a union branch was removed)"
                    : where + " now accepts " + typeName(w) + ", which the old union does not have";
            case NAME_MISMATCH -> where + " changed name from '" + oldS.getFullName() + "' to '" + newS.getFullName() + "'";
            case FIXED_SIZE_MISMATCH -> where + " changed fixed size from " + oldS.getFixedSize() + " to "
                    + newS.getFixedSize();
        };
    }

    static String typeName(Schema s) {
        if (s == null) {
            return "?";
        }
        String logical = s.getLogicalType() != null ? " (" + s.getLogicalType().getName() + ")" : "";
        return switch (s.getType()) {
            case RECORD, ENUM, FIXED -> s.getType().getName() + " " + s.getFullName();
            case ARRAY -> "array of " + typeName(s.getElementType());
            case MAP -> "map of " + typeName(s.getValueType());
            case UNION -> "union " + s.getTypes().stream().map(CompatibilityChecker::typeName).toList();
            default -> s.getType().getName() + logical;
        };
    }
}
