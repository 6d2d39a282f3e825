package dev.mesh.sdk.intake;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.internal.serde.AvroModels;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Reads a JSON document into a record of a product by walking the product's Avro schema: every field, union,
 * enum, array, map and logical type, with the contract's bounds. Every problem is collected with its field's path
 * before anything is refused, and none echoes a large input back. Limits on size, nesting and number length are
 * checked by the parser as it reads, so no input costs more than linear time.
 *
 * <p>What it refuses: unknown and duplicate fields; a missing field without a default; a value of the wrong JSON
 * kind; an enum symbol the schema lacks; a decimal with more digits than its precision and scale allow; an instant
 * the timestamp type cannot hold, before 1970 (Kafka record times start there), or outside the contract's
 * {@code eventTime} bounds; strings and collections over the limits; control characters and unpaired surrogates in
 * strings; ids (the key field and every field named {@code ...Id}) that are blank or hold any control character.
 */
public final class JsonRecordReader<T> {
    private static final int MAX_SHOWN = 40;

    private final ProductContract contract;
    private final GenericData model;
    private final IntakeLimits limits;
    private final Clock clock;
    private final ObjectMapper json;

    private JsonRecordReader(ProductContract contract, Class<T> type, IntakeLimits limits, Clock clock) {
        this.contract = contract;
        this.model = AvroModels.forClass(type);
        this.limits = limits;
        this.clock = clock;
        this.json = JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
        json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxDocumentLength(limits.maxBodyBytes())
                .maxNestingDepth(limits.maxDepth())
                .maxNumberLength(limits.maxNumberLength())
                // a string longer than any field allows is refused while it is read, not after
                .maxStringLength(Math.max(limits.maxStringLength(), 1_000))
                .build());
    }

    /** A reader for the product's records as {@code type} (a generated class or GenericRecord). */
    public static <T> JsonRecordReader<T> of(ProductContract contract, Class<T> type) {
        return of(contract, type, Clock.systemUTC());
    }

    static <T> JsonRecordReader<T> of(ProductContract contract, Class<T> type, Clock clock) {
        IntakeLimits limits = IntakeLimits.DEFAULTS.withStrings(contract.limits().maxStringLength())
                .withItems(contract.limits().maxItems());
        return new JsonRecordReader<>(contract, type, limits, clock);
    }

    public IntakeLimits limits() {
        return limits;
    }

    /**
     * A top-level field the document leaves out takes the contract's {@code intake.fill} for it (e.g. a new id or
     * the current time), read as if the client had sent it, else the schema's default.
     *
     * @throws RecordRefusedException naming every problem
     */
    public T read(byte[] body) {
        if (body == null || body.length == 0) {
            throw RecordRefusedException.of("$", "the body is empty; expected a JSON object");
        }
        if (body.length > limits.maxBodyBytes()) {
            throw new RecordRefusedException(List.of(new FieldProblem("$", "the body has " + body.length
                    + " bytes; at most " + limits.maxBodyBytes() + " are accepted")), true);
        }
        return read(parse(body));
    }

    /**
     * The same for a document already parsed (e.g. a record of another major, migrated): every field checked,
     * {@code intake.fill} for what it leaves out.
     *
     * @throws RecordRefusedException naming every problem
     */
    @SuppressWarnings("unchecked")
    public T read(JsonNode root) {
        if (!root.isObject()) {
            throw RecordRefusedException.of("$", "expected a JSON object, was " + kind(root));
        }
        List<FieldProblem> problems = new ArrayList<>();
        Object record = record(contract.schema(), root, "", problems, contract.intake().fill());
        if (!problems.isEmpty()) {
            throw new RecordRefusedException(problems, false);
        }
        return (T) record;
    }

    private JsonNode parse(byte[] body) {
        String text = utf8(body);
        JsonParser parser = null;
        try {
            parser = json.getFactory().createParser(text);
            JsonNode root = json.readTree(parser);
            if (root == null || root.isMissingNode()) {
                throw RecordRefusedException.of("$", "the body holds no JSON value; expected a JSON object");
            }
            if (parser.nextToken() != null) {
                throw RecordRefusedException.of("$", "not valid JSON: something follows the object at line "
                        + parser.currentLocation().getLineNr() + ", column " + parser.currentLocation().getColumnNr());
            }
            return root;
        } catch (StreamConstraintsException e) {
            String limit = limitExceeded(e.getOriginalMessage());
            throw new RecordRefusedException(List.of(new FieldProblem(where(parser), limit)), limit.startsWith("the body"));
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw RecordRefusedException.of(where(parser), "not valid JSON" + at + ": " + shorten(e.getOriginalMessage(), 160));
        } catch (IOException e) {
            throw RecordRefusedException.of("$", "unreadable body: " + shorten(String.valueOf(e.getMessage()), 160));
        } catch (NumberFormatException | ArithmeticException e) {
            // BigDecimal refuses an exponent beyond an int's range, e.g. 1e-2147483648
            throw RecordRefusedException.of(where(parser), "a number's exponent is out of range: " + shorten(String.valueOf(e.getMessage()), 80));
        } finally {
            if (parser != null) {
                try {
                    parser.close();
                } catch (IOException ignored) {
                    // nothing was written
                }
            }
        }
    }

    /** Which of the parser's limits an input went past, in the intake's words. */
    private String limitExceeded(String message) {
        if (message.startsWith("Number value length")) {
            return "a number longer than " + limits.maxNumberLength() + " characters";
        }
        if (message.startsWith("String value length")) {
            return "a value longer than " + Math.max(limits.maxStringLength(), 1_000) + " characters";
        }
        if (message.contains("nesting depth")) {
            return "nested deeper than " + limits.maxDepth() + " levels";
        }
        if (message.startsWith("Document length")) {
            return "the body is larger than " + limits.maxBodyBytes() + " bytes";
        }
        return "exceeds a limit: " + shorten(message, 120);
    }

    /** The field the parser was in, as a path such as {@code lines[0].unitPrice}; {@code $} at the top. */
    private static String where(JsonParser parser) {
        if (parser == null || parser.getParsingContext() == null) {
            return "$";
        }
        String pointer = parser.getParsingContext().pathAsPointer().toString();
        return pointer.isEmpty() ? "$" : pointer.substring(1).replaceAll("/([0-9]+)(?=/|$)", "[$1]").replace('/', '.')
                .replace(".[", "[");
    }

    private Object record(Schema schema, JsonNode node, String path, List<FieldProblem> problems,
                          Map<String, String> fill) {
        IndexedRecord record = (IndexedRecord) model.newRecord(null, schema);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (schema.getField(name) == null) {
                problems.add(new FieldProblem(join(path, shorten(name, MAX_SHOWN)), "unknown field; "
                        + schema.getName() + " has " + shorten(schema.getFields().stream().map(Schema.Field::name).toList().toString(), 200)));
            }
        }
        for (Schema.Field f : schema.getFields()) {
            String fieldPath = join(path, f.name());
            JsonNode value = node.get(f.name());
            Object decoded;
            if (value == null || (value.isNull() && !nullable(f.schema()))) {
                if (fill.containsKey(f.name())) {
                    JsonNode filled = com.fasterxml.jackson.databind.node.TextNode.valueOf(
                            ProductContract.Intake.render(fill.get(f.name()), clock.instant()));
                    int before = problems.size();
                    decoded = value(f.schema(), filled, fieldPath, problems, isId(f, path));
                    if (problems.size() > before) {
                        continue;
                    }
                } else if (f.hasDefaultValue()) {
                    decoded = model.getDefaultValue(f);
                } else {
                    problems.add(new FieldProblem(fieldPath, value == null ? "is required" : "must not be null"));
                    continue;
                }
            } else {
                int before = problems.size();
                decoded = value(f.schema(), value, fieldPath, problems, isId(f, path));
                if (problems.size() > before) {
                    continue;
                }
            }
            if (path.isEmpty() && f.name().equals(contract.eventTime().field().orElse(null))) {
                eventTime(decoded, fieldPath, problems);
            }
            record.put(f.pos(), decoded);
        }
        return record;
    }

    private boolean isId(Schema.Field f, String path) {
        return (path.isEmpty() && f.name().equals(contract.keyField())) || f.name().endsWith("Id");
    }

    private static boolean nullable(Schema schema) {
        return schema.getType() == Schema.Type.NULL
                || (schema.getType() == Schema.Type.UNION && schema.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL));
    }

    private Object value(Schema schema, JsonNode v, String path, List<FieldProblem> problems, boolean id) {
        LogicalType logical = schema.getLogicalType();
        if (logical != null) {
            return logical(schema, logical, v, path, problems);
        }
        switch (schema.getType()) {
            case NULL:
                return v.isNull() ? null : problem(problems, path, "must be null, was " + kind(v));
            case BOOLEAN:
                return v.isBoolean() ? v.booleanValue() : problem(problems, path, "must be true or false, was " + kind(v));
            case INT:
                return v.isIntegralNumber() && v.canConvertToInt() ? v.intValue()
                        : problem(problems, path, "must be a whole number from " + Integer.MIN_VALUE + " to "
                        + Integer.MAX_VALUE + ", was " + kind(v));
            case LONG:
                return v.isIntegralNumber() && v.canConvertToLong() ? v.longValue()
                        : problem(problems, path, "must be a whole number that fits 64 bits, was " + kind(v));
            case FLOAT:
            case DOUBLE:
                return floating(schema, v, path, problems);
            case STRING:
                return text(v, path, problems, id);
            case BYTES:
                return bytes(v, path, problems);
            case FIXED:
                return fixed(schema, v, path, problems);
            case ENUM:
                return symbol(schema, v, path, problems);
            case ARRAY:
                return array(schema, v, path, problems);
            case MAP:
                return map(schema, v, path, problems);
            case RECORD:
                return v.isObject() ? record(schema, v, path, problems, Map.of())
                        : problem(problems, path, "must be an object, was " + kind(v));
            case UNION:
                return union(schema, v, path, problems, id);
            default:
                return problem(problems, path, "has a type this intake does not read: " + schema.getType());
        }
    }

    private Object union(Schema schema, JsonNode v, String path, List<FieldProblem> problems, boolean id) {
        if (v.isNull() && nullable(schema)) {
            return null;
        }
        List<Schema> branches = schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
        if (branches.size() == 1) {
            return value(branches.get(0), v, path, problems, id);
        }
        for (Schema branch : branches) {
            List<FieldProblem> attempt = new ArrayList<>();
            Object decoded = value(branch, v, path, attempt, id);
            if (attempt.isEmpty()) {
                return decoded;
            }
        }
        return problem(problems, path, "matches none of " + branches.stream().map(Schema::getName).toList() + ", was " + kind(v));
    }

    private Object floating(Schema schema, JsonNode v, String path, List<FieldProblem> problems) {
        if (!v.isNumber()) {
            return problem(problems, path, "must be a number, was " + kind(v));
        }
        double d = v.doubleValue();
        if (Double.isInfinite(d) || (schema.getType() == Schema.Type.FLOAT && Float.isInfinite((float) d))) {
            return problem(problems, path, "is beyond what a " + schema.getType().getName() + " holds");
        }
        return schema.getType() == Schema.Type.FLOAT ? (Object) (float) d : (Object) d;
    }

    private Object text(JsonNode v, String path, List<FieldProblem> problems, boolean id) {
        if (!v.isTextual()) {
            return problem(problems, path, "must be a string, was " + kind(v));
        }
        String s = v.textValue();
        if (s.length() > limits.maxStringLength()) {
            return problem(problems, path, "has " + s.length() + " characters; at most " + limits.maxStringLength()
                    + " are accepted");
        }
        if (id && s.isBlank()) {
            return problem(problems, path, "must not be blank: it is an id");
        }
        if (id) {
            for (int i = 0; i < s.length(); ) {
                int c = s.codePointAt(i);
                int type = Character.getType(c);
                if (type == Character.FORMAT || type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                        || type == Character.PARAGRAPH_SEPARATOR) {
                    // invisible, spacing and direction-changing characters make two different ids look alike
                    return problem(problems, path, String.format("holds U+%04X (%s) at position %d; ids hold no spaces,"
                            + " invisible or direction-changing characters", c, Character.getName(c), i));
                }
                i += Character.charCount(c);
            }
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return problem(problems, path, "holds an unpaired surrogate (not valid Unicode) at position " + i);
            } else if (Character.isISOControl(c) && (id || (c != '\t' && c != '\n' && c != '\r'))) {
                return problem(problems, path, String.format("holds the control character U+%04X at position %d%s",
                        (int) c, i, id ? "; ids hold none" : ""));
            }
        }
        return s;
    }

    private Object bytes(JsonNode v, String path, List<FieldProblem> problems) {
        if (!v.isTextual()) {
            return problem(problems, path, "must be a base64 string, was " + kind(v));
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(v.textValue());
            return bytes.length > limits.maxStringLength() ? problem(problems, path, "has " + bytes.length
                    + " bytes; at most " + limits.maxStringLength() + " are accepted") : java.nio.ByteBuffer.wrap(bytes);
        } catch (IllegalArgumentException e) {
            return problem(problems, path, "must be base64: " + e.getMessage());
        }
    }

    private Object fixed(Schema schema, JsonNode v, String path, List<FieldProblem> problems) {
        Object bytes = bytes(v, path, problems);
        if (bytes instanceof java.nio.ByteBuffer b) {
            if (b.remaining() != schema.getFixedSize()) {
                return problem(problems, path, "must hold exactly " + schema.getFixedSize() + " bytes, held " + b.remaining());
            }
            return model.createFixed(null, b.array(), schema);
        }
        return null;
    }

    private Object symbol(Schema schema, JsonNode v, String path, List<FieldProblem> problems) {
        if (v.isTextual()) {
            String wanted = v.textValue().trim();
            for (String symbol : schema.getEnumSymbols()) {
                if (symbol.equalsIgnoreCase(wanted)) {
                    return model.createEnum(symbol, schema);
                }
            }
        }
        return problem(problems, path, "must be one of " + schema.getEnumSymbols() + ", was " + kind(v));
    }

    private Object array(Schema schema, JsonNode v, String path, List<FieldProblem> problems) {
        if (!v.isArray()) {
            return problem(problems, path, "must be an array, was " + kind(v));
        }
        if (v.size() > limits.maxItems()) {
            return problem(problems, path, "has " + v.size() + " items; at most " + limits.maxItems() + " are accepted");
        }
        List<Object> items = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            items.add(value(schema.getElementType(), v.get(i), path + "[" + i + "]", problems, false));
        }
        return items;
    }

    private Object map(Schema schema, JsonNode v, String path, List<FieldProblem> problems) {
        if (!v.isObject()) {
            return problem(problems, path, "must be an object, was " + kind(v));
        }
        if (v.size() > limits.maxItems()) {
            return problem(problems, path, "has " + v.size() + " entries; at most " + limits.maxItems() + " are accepted");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        v.fields().forEachRemaining(e -> {
            String entryPath = path + "." + shorten(e.getKey(), MAX_SHOWN);
            if (text(new com.fasterxml.jackson.databind.node.TextNode(e.getKey()), entryPath, problems, false) != null) {
                out.put(e.getKey(), value(schema.getValueType(), e.getValue(), entryPath, problems, false));
            }
        });
        return out;
    }

    // ---- logical types ---------------------------------------------------------------------------------------

    private Object logical(Schema schema, LogicalType logical, JsonNode v, String path, List<FieldProblem> problems) {
        Object converted;
        if (logical instanceof LogicalTypes.Decimal decimal) {
            converted = decimal(decimal, v, path, problems);
        } else if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros) {
            converted = instant(logical, v, path, problems);
        } else if (logical instanceof LogicalTypes.Date) {
            converted = parsed(v, path, problems, "a date such as 2026-11-21", LocalDate::parse);
        } else if (logical instanceof LogicalTypes.TimeMillis) {
            converted = parsed(v, path, problems, "a time of day such as 10:15:30", LocalTime::parse);
        } else if (logical.getName().equals("uuid")) {
            converted = parsed(v, path, problems, "a UUID", UUID::fromString);
        } else {
            return value(Schema.create(schema.getType()), v, path, problems, false);
        }
        if (converted == null) {
            return null;
        }
        return raw(schema, logical, converted);
    }

    /** The value as the model holds it: converted if the model converts this logical type, else Avro's raw form. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object raw(Schema schema, LogicalType logical, Object converted) {
        if (model.getConversionFor(logical) != null) {
            return converted;
        }
        Conversion conversion = AvroModels.generic().getConversionFor(logical);
        return Conversions.convertToRawType(converted, schema, logical, conversion);
    }

    /**
     * The body as text, decoded strictly: an overlong or otherwise malformed UTF-8 sequence is refused rather than
     * read as some other character (an overlong "/" is not a "/").
     */
    private static String utf8(byte[] body) {
        java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(body);
        try {
            return decoder.decode(in).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw RecordRefusedException.of("$", "the body is not valid UTF-8 (at byte " + in.position() + ")");
        }
    }

    /** Exponents beyond this are refused before any arithmetic: no decimal of a schema needs them. */
    private static final int MAX_EXPONENT = 1_000;

    private BigDecimal decimal(LogicalTypes.Decimal type, JsonNode v, String path, List<FieldProblem> problems) {
        BigDecimal value;
        if (v.isNumber()) {
            value = v.decimalValue();
        } else if (v.isTextual() && v.textValue().trim().length() <= limits.maxNumberLength()) {
            try {
                value = new BigDecimal(v.textValue().trim());
            } catch (NumberFormatException e) {
                return problem(problems, path, "must be a number, was " + kind(v));
            }
        } else {
            return problem(problems, path, v.isTextual() ? "has more than " + limits.maxNumberLength() + " characters"
                    : "must be a number, was " + kind(v));
        }
        if (value.scale() > MAX_EXPONENT || value.scale() < -MAX_EXPONENT) {
            return problem(problems, path, "has an exponent out of range (scale " + value.scale() + "); "
                    + "write the number in plain digits");
        }
        int integerDigits = value.signum() == 0 ? 0 : value.precision() - value.scale();
        int allowed = type.getPrecision() - type.getScale();
        String shape = "decimal(" + type.getPrecision() + "," + type.getScale() + ")";
        if (integerDigits > allowed) {
            return problem(problems, path, "has " + (integerDigits > 1_000 ? "more than 1000" : integerDigits)
                    + " digits before the decimal point; " + shape + " allows at most " + allowed);
        }
        if (value.stripTrailingZeros().scale() > type.getScale()) {
            return problem(problems, path, "has more than " + type.getScale() + " decimals; " + shape + " allows "
                    + type.getScale());
        }
        return value.setScale(type.getScale(), RoundingMode.UNNECESSARY);
    }

    private Instant instant(LogicalType type, JsonNode v, String path, List<FieldProblem> problems) {
        Instant at = parsed(v, path, problems, "an ISO-8601 instant such as 2026-11-21T10:15:30Z", Instant::parse);
        if (at == null) {
            return null;
        }
        try {
            long millis = at.toEpochMilli();
            if (type instanceof LogicalTypes.TimestampMicros) {
                Math.multiplyExact(millis, 1000L);
            }
        } catch (ArithmeticException e) {
            return problem(problems, path, "is beyond what " + type.getName() + " holds, was " + at);
        }
        Instant notBefore = Instant.EPOCH;
        if (at.isBefore(notBefore)) {
            return problem(problems, path, "must not be before " + notBefore + " (Kafka record times start there), was " + at);
        }
        return at;
    }

    /** The contract's event-time bounds, on its event-time field. */
    private void eventTime(Object decoded, String path, List<FieldProblem> problems) {
        Instant at = decoded instanceof Instant i ? i : decoded instanceof Long millis ? Instant.ofEpochMilli(millis) : null;
        contract.eventTime().violation(at, clock.instant()).ifPresent(message -> problems.add(new FieldProblem(path, message)));
    }

    private <V> V parsed(JsonNode v, String path, List<FieldProblem> problems, String expected,
                         java.util.function.Function<String, V> parse) {
        if (v.isTextual() && v.textValue().length() <= 64) {
            try {
                return parse.apply(v.textValue().trim());
            } catch (DateTimeParseException | IllegalArgumentException e) {
                // falls through to the problem below
            }
        }
        return problem(problems, path, "must be " + expected + ", was " + kind(v));
    }

    // ---- messages --------------------------------------------------------------------------------------------

    private static <V> V problem(List<FieldProblem> problems, String path, String message) {
        problems.add(new FieldProblem(path, message));
        return null;
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** What a value was, without echoing a long one. */
    static String kind(JsonNode v) {
        if (v.isTextual()) {
            return "the string \"" + shorten(v.textValue(), MAX_SHOWN) + "\"";
        }
        if (v.isNumber()) {
            return "the number " + shorten(v.asText(), MAX_SHOWN);
        }
        return v.isContainerNode() ? "an " + (v.isArray() ? "array" : "object") : v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    static String shorten(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
