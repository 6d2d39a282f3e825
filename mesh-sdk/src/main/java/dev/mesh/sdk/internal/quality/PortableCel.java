package dev.mesh.sdk.internal.quality;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A quality rule in the form Confluent's executors evaluate as the mesh does. They hand CEL a decimal as its Avro
 * bytes (JavaScript's {@code @confluentinc/schemaregistry} always, Java's unless
 * {@code avro.use.logical.type.converters}), so {@code message.total > 0.0} compares bytes with a number: an error
 * the JavaScript client lets pass. The sign of a decimal is in its bytes, though: Avro writes the unscaled value as
 * the shortest big-endian two's complement, so a value is negative iff its first byte is at least 0x80 and zero iff
 * it is {@code 00} (or empty), and CEL orders bytes lexicographically in every engine. A decimal compared with zero
 * is therefore written as a comparison of bytes; a decimal compared with anything else, or in arithmetic, cannot
 * travel and is named.
 */
public final class PortableCel {
    private static final String IDENT = "[A-Za-z_][A-Za-z0-9_]*";
    private static final String OP = "(>=|<=|==|!=|>|<)";
    /** A field path compared with zero, standing where a whole operand of a boolean operator stands. */
    private static final Pattern COMPARED_WITH_ZERO = Pattern.compile("(?<=^|[(,!&|?:]|[(,!&|?:]\\s{1,8})(" + IDENT
            + "(?:\\." + IDENT + ")+)\\s*" + OP + "\\s*[+]?(?:0+(?:\\.0*)?|\\.0+)(?![\\w.])(?=\\s*(?:$|[),&|?:]))");
    /** A field path compared with a bytes literal: the portable form, as registered. */
    private static final String COMPARED_WITH_BYTES = "\\s*" + OP + "\\s*b'";
    private static final Map<String, String> BYTES_FORM = Map.of(
            ">", "(%1$s > b'\\x00' && %1$s < b'\\x80')",
            ">=", "%1$s < b'\\x80'",
            "<", "%1$s >= b'\\x80'",
            "<=", "(%1$s <= b'\\x00' || %1$s >= b'\\x80')",
            "==", "%1$s <= b'\\x00'",
            "!=", "%1$s > b'\\x00'");

    private PortableCel() {
    }

    /** {@code expr} with every comparison of a decimal field of {@code schema} with zero written over its bytes. */
    public static String of(String expr, Schema schema) {
        Set<String> decimals = decimalFields(schema);
        Matcher m = COMPARED_WITH_ZERO.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String path = m.group(1);
            String form = decimals.contains(path.substring(path.lastIndexOf('.') + 1))
                    ? BYTES_FORM.get(m.group(2)).formatted(path) : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(form));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The decimal fields {@code expr} uses in a way Confluent's executors do not evaluate as the mesh does: anything
     * but a comparison with zero (in the mesh's form) or with a bytes literal (in the registered form). A field name
     * that a decimal shares with a field of another type is named too: the check reads names, not types.
     */
    public static List<String> unportable(String expr, Schema schema) {
        String registered = of(expr, schema);
        Set<String> decimals = decimalFields(schema);
        Set<String> found = new LinkedHashSet<>();
        if (decimals.isEmpty()) {
            return List.of();
        }
        Matcher m = Pattern.compile("(" + IDENT + "(?:\\." + IDENT + ")*\\.(?:"
                + String.join("|", decimals.stream().map(Pattern::quote).toList()) + "))(?!\\w)").matcher(registered);
        while (m.find()) {
            if (!registered.substring(m.end()).matches("(?s)^" + COMPARED_WITH_BYTES + ".*")) {
                found.add(m.group(1));
            }
        }
        return new ArrayList<>(found);
    }

    /** Names of the decimal fields anywhere in the schema (nested records, arrays, maps, nullable unions). */
    public static Set<String> decimalFields(Schema schema) {
        Set<String> out = new HashSet<>();
        collect(schema, out, new HashSet<>());
        return out;
    }

    private static void collect(Schema s, Set<String> out, Set<String> seen) {
        switch (s.getType()) {
            case RECORD -> {
                if (!seen.add(s.getFullName())) {
                    return;
                }
                for (Schema.Field f : s.getFields()) {
                    Schema t = f.schema();
                    if (isDecimal(t) || (t.getType() == Schema.Type.UNION && t.getTypes().stream().anyMatch(PortableCel::isDecimal))) {
                        out.add(f.name());
                    }
                    collect(t, out, seen);
                }
            }
            case ARRAY -> collect(s.getElementType(), out, seen);
            case MAP -> collect(s.getValueType(), out, seen);
            case UNION -> s.getTypes().forEach(t -> collect(t, out, seen));
            default -> {
            }
        }
    }

    private static boolean isDecimal(Schema s) {
        return s.getLogicalType() instanceof LogicalTypes.Decimal;
    }
}
