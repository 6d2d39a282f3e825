package dev.mesh.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a JSON request body field by field, collecting every problem (missing, wrong type, out of range, unknown
 * value) with the field's path, then {@link #validate()} throws them all at once. Getters return null for a field
 * that is invalid, so one pass reads everything.
 */
public final class JsonIntake {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.time.Duration FUTURE_TOLERANCE = java.time.Duration.ofMinutes(5);

    private final JsonNode node;
    private final String path;
    private final List<IntakeException.FieldError> errors;

    private JsonIntake(JsonNode node, String path, List<IntakeException.FieldError> errors) {
        this.node = node;
        this.path = path;
        this.errors = errors;
    }

    public static JsonIntake parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new IntakeException(List.of(new IntakeException.FieldError("$", "request body is empty; expected a JSON object")));
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new IntakeException(List.of(new IntakeException.FieldError("$", "expected a JSON object")));
            }
            return new JsonIntake(node, "", new ArrayList<>());
        } catch (JsonProcessingException e) {
            throw new IntakeException(List.of(new IntakeException.FieldError("$", "malformed JSON at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage())));
        } catch (java.io.IOException e) {
            throw new IntakeException(List.of(new IntakeException.FieldError("$", "unreadable body: " + e.getMessage())));
        }
    }

    public void validate() {
        if (!errors.isEmpty()) {
            throw new IntakeException(errors);
        }
    }

    public String requiredString(String field) {
        JsonNode v = present(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            return error(field, v.isTextual() ? "must not be blank" : "must be a string, was " + kind(v));
        }
        return v.asText();
    }

    public Optional<String> optionalString(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            error(field, "must be a string, was " + kind(v));
            return Optional.empty();
        }
        return Optional.of(v.asText());
    }

    /** A money amount: a JSON number or numeric string, at most 2 decimals, and {@code > 0} or {@code >= 0}. */
    public BigDecimal amount(String field, boolean zeroAllowed) {
        JsonNode v = present(field);
        if (v == null) {
            return null;
        }
        BigDecimal amount;
        try {
            amount = v.isNumber() ? v.decimalValue() : v.isTextual() ? new BigDecimal(v.asText().trim()) : null;
        } catch (NumberFormatException e) {
            amount = null;
        }
        if (amount == null) {
            return error(field, "must be a number, was " + kind(v));
        }
        if (amount.signum() < 0 || (!zeroAllowed && amount.signum() == 0)) {
            return error(field, "must be " + (zeroAllowed ? "zero or more" : "positive") + ", was " + amount.toPlainString());
        }
        if (amount.stripTrailingZeros().scale() > 2) {
            return error(field, "must have at most 2 decimals, was " + amount.toPlainString());
        }
        return amount.setScale(2, java.math.RoundingMode.UNNECESSARY);
    }

    public Integer positiveInt(String field) {
        JsonNode v = present(field);
        if (v == null) {
            return null;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            return error(field, "must be a whole number, was " + kind(v));
        }
        if (v.asInt() <= 0) {
            return error(field, "must be positive, was " + v.asInt());
        }
        return v.asInt();
    }

    /** One of an enum's constants, e.g. a currency; the message lists the known ones. */
    public <E extends Enum<E>> E oneOf(String field, Class<E> type) {
        JsonNode v = present(field);
        if (v == null) {
            return null;
        }
        String text = v.isTextual() ? v.asText().trim().toUpperCase(java.util.Locale.ROOT) : null;
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(text)) {
                return e;
            }
        }
        return error(field, "unknown value " + v + "; expected one of " + Arrays.toString(type.getEnumConstants()));
    }

    public <E extends Enum<E>> E oneOfOr(String field, Class<E> type, E defaultValue) {
        return node.hasNonNull(field) ? oneOf(field, type) : defaultValue;
    }

    /** When something happened: an ISO-8601 instant, not in the future; absent means now. */
    public Instant instantOrNow(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Instant.now();
        }
        Instant at = instant(field, v);
        // Event time drives windows and point-in-time joins; a clock far ahead would skew them for everyone.
        if (at != null && at.isAfter(Instant.now().plus(FUTURE_TOLERANCE))) {
            return error(field, "must not be in the future, was " + at);
        }
        return at;
    }

    /** A required ISO-8601 instant, e.g. a schedule (which may lie in the future). */
    public Instant requiredInstant(String field) {
        JsonNode v = present(field);
        return v == null ? null : instant(field, v);
    }

    private Instant instant(String field, JsonNode v) {
        try {
            return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            return error(field, "must be an ISO-8601 instant such as 2026-11-21T10:15:30Z, was " + v);
        }
    }

    /** Each element of a required, non-empty array of objects, read by {@code element} with its own path. */
    public <T> List<T> nonEmptyArray(String field, Function<JsonIntake, T> element) {
        JsonNode v = present(field);
        if (v == null) {
            return null;
        }
        if (!v.isArray() || v.isEmpty()) {
            return error(field, v.isArray() ? "must not be empty" : "must be an array, was " + kind(v));
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String itemPath = path(field) + "[" + i + "]";
            if (!item.isObject()) {
                errors.add(new IntakeException.FieldError(itemPath, "must be an object, was " + kind(item)));
                continue;
            }
            out.add(element.apply(new JsonIntake(item, itemPath, errors)));
        }
        return out;
    }

    private JsonNode present(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            error(field, "is required");
            return null;
        }
        return v;
    }

    private <T> T error(String field, String message) {
        errors.add(new IntakeException.FieldError(path(field), message));
        return null;
    }

    private String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String kind(JsonNode v) {
        return v.isTextual() ? "the string " + v : v.isNumber() ? "the number " + v : v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
