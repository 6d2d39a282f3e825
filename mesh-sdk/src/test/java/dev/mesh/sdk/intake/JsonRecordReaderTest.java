package dev.mesh.sdk.intake;

import dev.mesh.sdk.contract.loader.ContractLoader;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.testkit.OddBodies;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JsonRecordReaderTest {
    private static final ProductContract PARCELS = ContractLoader.loadResource("contracts/intake/contract.yaml");
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final JsonRecordReader<GenericRecord> READER =
            JsonRecordReader.of(PARCELS, GenericRecord.class, Clock.fixed(NOW, ZoneOffset.UTC));
    private static final String VALID = """
            {"parcelId": "p-1", "customerId": "c-1", "value": 19.99, "carrier": "post",
             "items": [{"sku": "mug", "count": 2}], "sentAt": "2026-12-01T09:00:00Z"}""";

    private static GenericRecord read(String json) {
        return READER.read(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The valid parcel with one top-level field replaced (raw JSON) or removed (null). */
    private static String with(String field, String rawJson) {
        String base = VALID.replace("}]", "}#]");
        String replaced = base.replaceFirst("\"" + field + "\": (\"[^\"]*\"|\\[[^\\]]*\\]|[^,}]+)",
                rawJson == null ? "\"_drop\": 0" : "\"" + field + "\": " + java.util.regex.Matcher.quoteReplacement(rawJson));
        return (rawJson == null ? replaced.replace(", \"_drop\": 0", "").replace("\"_drop\": 0, ", "") : replaced).replace("}#]", "}]");
    }

    /** The valid parcel with one more field, raw JSON. */
    private static String plus(String field, String rawJson) {
        return VALID.replace("{\"parcelId\"", "{\"" + field + "\": " + rawJson + ", \"parcelId\"");
    }

    @Test
    void aValidDocumentReadsWithEveryDefaultAndLogicalType() {
        GenericRecord r = read(VALID);
        assertThat(r.get("parcelId")).isEqualTo("p-1");
        assertThat(r.get("value")).isEqualTo(new BigDecimal("19.99"));
        assertThat(r.get("carrier").toString()).isEqualTo("POST");
        assertThat(r.get("sentAt")).isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
        assertThat(r.get("note")).isNull();
        assertThat(r.get("fragile")).isEqualTo(false);
        assertThat((Map<?, ?>) r.get("labels")).isEmpty();
        assertThat(((List<?>) r.get("items"))).hasSize(1);
    }

    @Test
    void theContractsFillTakesOnlyWhatTheBodyLeavesOut() {
        GenericRecord filled = read(with("sentAt", null).replace("\"parcelId\": \"p-1\", ", ""));
        assertThat(filled.get("parcelId").toString()).matches("p-[0-9a-f-]{36}");
        assertThat(filled.get("sentAt")).isEqualTo(NOW);
        assertThat(READER.read(VALID.getBytes(StandardCharsets.UTF_8)).get("parcelId")).isEqualTo("p-1");
    }

    static Stream<Arguments> refused() {
        String deep = "[".repeat(2_000) + "]".repeat(2_000);
        return Stream.of(
                Arguments.of("beyond decimal(12,2)", with("value", "12345678901234.5"), "value", "digits before the decimal point"),
                Arguments.of("1e20", with("value", "1e20"), "value", "digits before the decimal point"),
                Arguments.of("a huge exponent", with("value", "1e999999999"), "value", "exponent"),
                Arguments.of("three decimals", with("value", "\"1.005\""), "value", "more than 2 decimals"),
                Arguments.of("a 2,000-digit number", with("value", "1" + "0".repeat(2_000)), "value", "longer than"),
                Arguments.of("1. and 60,000 zeros", with("value", "1." + "0".repeat(60_000)), "value", "longer than"),
                Arguments.of("the same as a string", with("value", "\"1." + "0".repeat(60_000) + "\""), "value", "longer than"),
                Arguments.of("year 1", with("sentAt", "\"0001-01-01T00:00:00Z\""), "sentAt", "before"),
                Arguments.of("before the contract's notBefore", with("sentAt", "\"1999-12-31T23:59:59Z\""), "sentAt", "before 2000-01-01"),
                Arguments.of("beyond timestamp-millis", with("sentAt", "\"-1000000000-01-01T00:00:00Z\""), "sentAt", "timestamp-millis"),
                Arguments.of("too far ahead", with("sentAt", "\"2026-12-01T10:06:00Z\""), "sentAt", "5m in the future"),
                Arguments.of("not an instant", with("sentAt", "\"yesterday\""), "sentAt", "ISO-8601"),
                Arguments.of("an empty id", with("parcelId", "\"\""), "parcelId", "blank"),
                Arguments.of("a blank id", with("customerId", "\"  \""), "customerId", "blank"),
                Arguments.of("a control character in an id", with("customerId", "\"c\\u0007x\""), "customerId", "control character"),
                Arguments.of("a newline in an id", with("parcelId", "\"p\\n1\""), "parcelId", "control character"),
                Arguments.of("a lone surrogate", with("customerId", "\"c\\ud800x\""), "customerId", "unpaired surrogate"),
                Arguments.of("a string over the contract's limit", plus("note", "\"" + "x".repeat(101) + "\""), "note", "at most 100"),
                Arguments.of("a 1 MB string", plus("note", "\"" + "x".repeat(1_000_000) + "\""), "note", "longer than 1000"),
                Arguments.of("too many items", with("items", "[" + "{\"sku\":\"a\",\"count\":1},".repeat(3) + "{\"sku\":\"a\",\"count\":1}]"), "items", "at most 3"),
                Arguments.of("an unknown field", VALID.replace("{\"parcelId\"", "{\"colour\": \"red\", \"parcelId\""), "colour", "unknown field"),
                Arguments.of("a duplicate key", VALID.replace("{\"parcelId\": \"p-1\"", "{\"parcelId\": \"p-1\", \"parcelId\": \"p-2\""), "parcelId", "Duplicate"),
                Arguments.of("nesting 2,000 deep", plus("note", deep), "note" + "[0]".repeat(15), "nested deeper than 16"),
                Arguments.of("an unknown symbol", with("carrier", "\"PIGEON\""), "carrier", "one of [POST, COURIER]"),
                Arguments.of("a missing field", with("carrier", null), "carrier", "is required"),
                Arguments.of("null for a required field", with("carrier", "null"), "carrier", "must not be null"),
                Arguments.of("a wrong kind in an array item", with("items", "[{\"sku\": \"a\", \"count\": \"two\"}]"), "items[0].count", "whole number"),
                Arguments.of("an int beyond 32 bits", with("items", "[{\"sku\": \"a\", \"count\": 4294967296}]"), "items[0].count", "whole number"),
                Arguments.of("trailing garbage", VALID + "}", "$", "not valid JSON"),
                Arguments.of("not an object", "[1, 2]", "$", "expected a JSON object"),
                Arguments.of("malformed", "{\"parcelId\": ", "parcelId", "not valid JSON"),
                Arguments.of("a map value of the wrong kind", plus("labels", "{\"a\": 1}"), "labels.a", "must be a string"),
                Arguments.of("NaN", with("value", "NaN"), "value", "not valid JSON"),
                Arguments.of("the largest exponent", with("value", "1e2147483647"), "value", "exponent"),
                Arguments.of("the smallest exponent", with("value", "1e-2147483648"), "value", "exponent"),
                Arguments.of("zero with the smallest exponent", with("value", "0e-2147483648"), "value", "exponent"),
                Arguments.of("the largest exponent as a string", with("value", "\"1e2147483647\""), "value", "exponent"),
                Arguments.of("an int with a huge exponent", with("items", "[{\"sku\": \"a\", \"count\": 1e2147483647}]"), "items[0].count", "whole number"),
                Arguments.of("a time with a huge exponent", with("sentAt", "1e2147483647"), "sentAt", "ISO-8601"),
                Arguments.of("a no-break space in an id", with("customerId", "\"c\u00a0x\""), "customerId", "U+00A0"),
                Arguments.of("a zero-width space in an id", with("customerId", "\"c\u200bx\""), "customerId", "U+200B"),
                Arguments.of("a byte-order mark in an id", with("parcelId", "\"\ufeffp\""), "parcelId", "U+FEFF"),
                Arguments.of("a right-to-left override in an id", with("customerId", "\"c\u202ex\""), "customerId", "U+202E"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void everyOddInputIsRefusedNamingItsField(String what, String json, String field, String message) {
        RecordRefusedException e = catchThrowableOfType(RecordRefusedException.class, () -> read(json));
        assertThat(e).as(what).isNotNull();
        assertThat(e.problems()).as(what).anySatisfy(p -> {
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.message()).contains(message).hasSizeLessThan(400);
        });
    }

    @Test
    void overlongUtf8IsRefusedAsNotUtf8() {
        // "c/x" with the slash written in two bytes (0xC0 0xAF): a decoder that accepts it lets one character pass as another
        byte[] body = VALID.replace("\"c-1\"", "\"c\u0001x\"").getBytes(StandardCharsets.UTF_8);
        int at = new String(body, StandardCharsets.ISO_8859_1).indexOf('\u0001');
        byte[] overlong = new byte[body.length + 1];
        System.arraycopy(body, 0, overlong, 0, at);
        overlong[at] = (byte) 0xC0;
        overlong[at + 1] = (byte) 0xAF;
        System.arraycopy(body, at + 1, overlong, at + 2, body.length - at - 1);
        RecordRefusedException e = catchThrowableOfType(RecordRefusedException.class, () -> READER.read(overlong));
        assertThat(e).isNotNull();
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.message()).containsIgnoringCase("UTF-8"));
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        RecordRefusedException e = catchThrowableOfType(RecordRefusedException.class, () -> read(
                "{\"parcelId\": \"\", \"value\": \"abc\", \"carrier\": 3, \"items\": {}, \"sentAt\": 5, \"extra\": 1}"));
        assertThat(e.problems()).extracting(FieldProblem::field)
                .containsExactlyInAnyOrder("extra", "parcelId", "customerId", "value", "carrier", "items", "sentAt");
        assertThat(e.tooLarge()).isFalse();
    }

    @Test
    void aBodyOverTheLimitIsRefusedForItsSize() {
        byte[] body = new byte[IntakeLimits.DEFAULTS.maxBodyBytes() + 1];
        assertThat(catchThrowableOfType(RecordRefusedException.class, () -> READER.read(body)).tooLarge()).isTrue();
        assertThatThrownBy(() -> READER.read(new byte[0])).isInstanceOf(RecordRefusedException.class);
    }

    /** Seeded random documents built from the valid one: each either reads or is refused, nothing else escapes. */
    @Test
    void randomDocumentsAreReadOrRefusedNeverAnythingElse() {
        int read = 0;
        for (byte[] doc : OddBodies.fuzz(VALID, 20261201L, 3_000)) {
            try {
                READER.read(doc);
                read++;
            } catch (RecordRefusedException e) {
                assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p.message()).hasSizeLessThan(400));
            }
        }
        assertThat(read).as("some mutations still read").isPositive();
    }
}
