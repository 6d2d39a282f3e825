package dev.mesh.sdk.internal.quality;

import com.google.protobuf.ByteString;
import com.google.protobuf.NullValue;
import com.google.protobuf.Timestamp;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converters from Avro values to CEL runtime values, one per schema, matching the types {@link AvroCelTypes}
 * declares. They accept both forms Avro may hand over for a logical type: the raw one of generic records read
 * without conversions (ByteBuffer, long) and the converted one of specific records (BigDecimal, Instant).
 */
final class AvroToCel {
    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    private static final long EXACT_IN_DOUBLE = 1L << 53;

    private final Map<String, RecordLayout> layouts = new HashMap<>();

    /** The layout of a record schema, with the layouts of every record it contains. */
    RecordLayout layout(Schema record) {
        RecordLayout layout = layouts.get(record.getFullName());
        if (layout != null) {
            return layout;
        }
        layout = new RecordLayout();
        layouts.put(record.getFullName(), layout);
        List<Schema.Field> fields = record.getFields();
        RecordLayout.Slot[] slots = new RecordLayout.Slot[fields.size()];
        for (int i = 0; i < slots.length; i++) {
            Schema.Field f = fields.get(i);
            slots[i] = new RecordLayout.Slot(f.name(), f.pos(), converter(f.schema()));
        }
        layout.fill(slots);
        return layout;
    }

    static boolean isTimestamp(LogicalType logical) {
        return logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros
                || logical instanceof LogicalTypes.TimestampNanos || logical instanceof LogicalTypes.LocalTimestampMillis
                || logical instanceof LogicalTypes.LocalTimestampMicros || logical instanceof LogicalTypes.LocalTimestampNanos;
    }

    ToCel converter(Schema schema) {
        ToCel valueConverter = nonNullConverter(schema);
        return value -> value == null ? NullValue.NULL_VALUE : valueConverter.convert(value);
    }

    private ToCel nonNullConverter(Schema schema) {
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal decimal) {
            int scale = decimal.getScale();
            return value -> decimalToDouble(value, scale);
        }
        if (isTimestamp(logical)) {
            ChronoUnit unit = timestampUnit(logical);
            return value -> timestamp(value, unit);
        }
        return switch (schema.getType()) {
            case RECORD -> {
                RecordLayout layout = layout(schema);
                yield value -> new RecordView((IndexedRecord) value, layout);
            }
            case ENUM -> value -> value instanceof Enum<?> e ? e.name() : value.toString();
            case STRING -> Object::toString;
            case ARRAY -> {
                ToCel items = converter(schema.getElementType());
                yield value -> new ConvertedList((List<?>) value, items);
            }
            case MAP -> {
                ToCel values = converter(schema.getValueType());
                yield value -> convertMap((Map<?, ?>) value, values);
            }
            case UNION -> unionConverter(schema);
            case FIXED -> value -> ByteString.copyFrom(((GenericFixed) value).bytes());
            case BYTES -> value -> ByteString.copyFrom(((ByteBuffer) value).duplicate());
            case INT, LONG -> AvroToCel::wholeNumber;
            case FLOAT, DOUBLE -> value -> ((Number) value).doubleValue();
            case BOOLEAN -> value -> value;
            case NULL -> value -> NullValue.NULL_VALUE;
        };
    }

    private ToCel unionConverter(Schema union) {
        List<Schema> branches = union.getTypes();
        List<Schema> nonNull = branches.stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        if (nonNull.size() == 1) {
            return nonNullConverter(nonNull.get(0));
        }
        ToCel[] byBranch = branches.stream().map(this::converter).toArray(ToCel[]::new);
        return value -> byBranch[SpecificData.get().resolveUnion(union, value)].convert(value);
    }

    private static Map<String, Object> convertMap(Map<?, ?> map, ToCel values) {
        // Eager, unlike records and lists: Avro's keys are often Utf8, which a CEL string key would never equal.
        Map<String, Object> converted = new LinkedHashMap<>(Math.max(4, map.size() * 2));
        map.forEach((k, v) -> converted.put(k.toString(), values.convert(v)));
        return converted;
    }

    /** Dates, times of day and plain ints/longs are all CEL ints (days since epoch, millis or micros of the day). */
    private static Object wholeNumber(Object value) {
        if (value instanceof Long) {
            return value;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof LocalDate d) {
            return d.toEpochDay();
        }
        if (value instanceof LocalTime t) {
            return t.toNanoOfDay() / 1_000_000;
        }
        throw new IllegalArgumentException("not a whole number: " + value.getClass().getName());
    }

    static double decimalToDouble(Object value, int scale) {
        if (value instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (value instanceof ByteBuffer buffer) {
            return unscaledToDouble(buffer.duplicate(), scale);
        }
        if (value instanceof GenericFixed fixed) {
            return unscaledToDouble(ByteBuffer.wrap(fixed.bytes()), scale);
        }
        throw new IllegalArgumentException("not a decimal: " + value.getClass().getName());
    }

    /** Two's-complement big-endian unscaled value, as Avro writes decimals; small ones without BigDecimal. */
    private static double unscaledToDouble(ByteBuffer bytes, int scale) {
        int length = bytes.remaining();
        if (length > 0 && length <= 7 && scale < POWERS_OF_TEN.length) {
            long unscaled = bytes.get(); // sign-extends the first byte
            for (int i = 1; i < length; i++) {
                unscaled = (unscaled << 8) | (bytes.get() & 0xFF);
            }
            if (Math.abs(unscaled) < EXACT_IN_DOUBLE) {
                // Both operands are exact doubles, so IEEE division rounds exactly as BigDecimal.doubleValue would.
                return unscaled / POWERS_OF_TEN[scale];
            }
            bytes.rewind();
        }
        byte[] raw = new byte[bytes.remaining()];
        bytes.get(raw);
        return new BigDecimal(new BigInteger(raw), scale).doubleValue();
    }

    private static ChronoUnit timestampUnit(LogicalType logical) {
        if (logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.LocalTimestampMicros) {
            return ChronoUnit.MICROS;
        }
        if (logical instanceof LogicalTypes.TimestampNanos || logical instanceof LogicalTypes.LocalTimestampNanos) {
            return ChronoUnit.NANOS;
        }
        return ChronoUnit.MILLIS;
    }

    static Timestamp timestamp(Object value, ChronoUnit unit) {
        if (value instanceof Instant i) {
            return timestamp(i.getEpochSecond(), i.getNano());
        }
        if (value instanceof LocalDateTime t) {
            Instant i = t.toInstant(ZoneOffset.UTC);
            return timestamp(i.getEpochSecond(), i.getNano());
        }
        long count = ((Number) value).longValue();
        long perSecond = switch (unit) {
            case MICROS -> 1_000_000L;
            case NANOS -> 1_000_000_000L;
            default -> 1_000L;
        };
        long nanosPerUnit = 1_000_000_000L / perSecond;
        return timestamp(Math.floorDiv(count, perSecond), (int) (Math.floorMod(count, perSecond) * nanosPerUnit));
    }

    private static Timestamp timestamp(long seconds, int nanos) {
        return Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build();
    }
}
