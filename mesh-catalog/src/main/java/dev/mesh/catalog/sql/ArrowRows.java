package dev.mesh.catalog.sql;

import dev.mesh.sdk.json.AvroJson;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.util.Utf8;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link RowCache} row as Arrow columns: {@code _key}, {@code _partition}, {@code _offset}, {@code _ts},
 * {@code _kind}, {@code _skipped} and the record as {@code v}, each field typed as {@link DuckTypes#of} has it but
 * enums, uuids, bytes (base64) and unions of several types (JSON), which are text until a query's view casts them.
 * Every value is written straight into its vector by writers made once per schema and bound once per batch: no text
 * between, records inside lists as structs.
 */
final class ArrowRows {
    private static final String UTC = "UTC";
    /** What a JVM that runs SQL needs: Arrow's memory reads java.nio's buffers from inside. */
    static final String JVM_OPTION = "--add-opens=java.base/java.nio=ALL-UNNAMED";

    private final Schema schema;
    private final org.apache.arrow.vector.types.pojo.Schema arrowSchema;
    private final Binder value;

    /** Writes one value at an index of the vector it was bound to. */
    private interface Writer {
        void write(int index, Object value);
    }

    /** Makes the writer of a field for one batch's vector of it: the vectors are looked up once per batch, not per value. */
    private interface Binder {
        Writer bind(FieldVector vector);
    }

    private record Typed(Field field, Binder binder) {
    }

    ArrowRows(Schema schema) {
        this.schema = schema;
        Typed v = typed("v", schema);
        this.value = nullable(v.binder());
        this.arrowSchema = new org.apache.arrow.vector.types.pojo.Schema(List.of(
                Field.nullable("_key", ArrowType.Utf8.INSTANCE),
                Field.nullable("_partition", new ArrowType.Int(32, true)),
                Field.nullable("_offset", new ArrowType.Int(64, true)),
                Field.nullable("_ts", new ArrowType.Int(64, true)),
                Field.nullable("_kind", new ArrowType.Int(8, true)),
                Field.nullable("_skipped", ArrowType.Utf8.INSTANCE),
                v.field()));
    }

    Schema schema() {
        return schema;
    }

    /** Why this JVM cannot hold Arrow batches (it was started without {@link #JVM_OPTION}), if it cannot. */
    static java.util.Optional<String> unavailable() {
        try {
            new org.apache.arrow.memory.RootAllocator(0).close();
            return java.util.Optional.empty();
        } catch (RuntimeException | LinkageError e) { // Arrow's memory fails in its class initialiser, then on every use
            return java.util.Optional.of("this JVM was started without " + JVM_OPTION + ", which Arrow's memory needs: " + e);
        }
    }

    org.apache.arrow.vector.types.pojo.Schema arrowSchema() {
        return arrowSchema;
    }

    /**
     * A new batch of about {@code rows} rows (the vectors grow past them if asked) in the vectors of {@code root}, of
     * {@link #arrowSchema}; they let go of what they held (an exported batch keeps its own hold).
     */
    Batch batch(VectorSchemaRoot root, int rows) {
        root.getFieldVectors().forEach(vector -> vector.setInitialCapacity(rows));
        root.allocateNew();
        return new Batch(root);
    }

    /** A batch's vectors with the writers bound to them. */
    final class Batch {
        private final VectorSchemaRoot root;
        private final VarCharVector key;
        private final IntVector partition;
        private final BigIntVector offset;
        private final BigIntVector timestamp;
        private final TinyIntVector kind;
        private final VarCharVector skipped;
        private final Writer record;
        private int rows;

        private Batch(VectorSchemaRoot root) {
            this.root = root;
            List<FieldVector> vectors = root.getFieldVectors();
            this.key = (VarCharVector) vectors.get(0);
            this.partition = (IntVector) vectors.get(1);
            this.offset = (BigIntVector) vectors.get(2);
            this.timestamp = (BigIntVector) vectors.get(3);
            this.kind = (TinyIntVector) vectors.get(4);
            this.skipped = (VarCharVector) vectors.get(5);
            this.record = value.bind(vectors.get(6));
        }

        /** Writes the next row. */
        void add(String key, int partition, long offset, long timestamp, byte kind, String skipped, IndexedRecord record) {
            int index = rows;
            text(this.key, index, key);
            this.partition.setSafe(index, partition);
            this.offset.setSafe(index, offset);
            this.timestamp.setSafe(index, timestamp);
            this.kind.setSafe(index, kind);
            text(this.skipped, index, skipped);
            this.record.write(index, record);
            rows++;
        }

        int rows() {
            return rows;
        }

        /** The vectors, their row count set. */
        VectorSchemaRoot root() {
            root.setRowCount(rows);
            return root;
        }
    }

    private static Typed typed(String name, Schema s) {
        if (s.getType() == Schema.Type.UNION) {
            Schema only = DuckTypes.onlyBranch(s);
            if (only != null) {
                return typed(name, only);
            }
            return text(name, AvroJson::text); // a union of several types: its JSON
        }
        if (s.getLogicalType() instanceof LogicalTypes.Decimal d) {
            if (!DuckTypes.fitsDecimal(d)) {
                return leaf(name, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE), vector -> (i, v) ->
                        ((Float8Vector) vector).setSafe(i, ((BigDecimal) v).doubleValue()));
            }
            return leaf(name, new ArrowType.Decimal(d.getPrecision(), d.getScale(), 128), vector -> (i, v) ->
                    decimal((DecimalVector) vector, i, (BigDecimal) v, d));
        }
        String logical = s.getLogicalType() == null ? "" : s.getLogicalType().getName();
        switch (logical) {
            case "uuid":
                return text(name, Object::toString);
            case "date":
                return leaf(name, new ArrowType.Date(DateUnit.DAY), vector -> (i, v) ->
                        ((DateDayVector) vector).setSafe(i, v instanceof LocalDate d ? (int) d.toEpochDay() : (Integer) v));
            case "time-millis", "time-micros":
                return leaf(name, new ArrowType.Time(TimeUnit.MICROSECOND, 64), vector -> (i, v) -> ((TimeMicroVector) vector).setSafe(i,
                        v instanceof LocalTime t ? t.toNanoOfDay() / 1_000 : logical.equals("time-millis") ? (Integer) v * 1_000L : (Long) v));
            case "timestamp-millis", "timestamp-micros", "timestamp-nanos":
                return timestamp(name, logical, UTC);
            case "local-timestamp-millis", "local-timestamp-micros", "local-timestamp-nanos":
                return timestamp(name, logical, null);
            default:
                break;
        }
        return switch (s.getType()) {
            case STRING -> text(name, v -> v);
            case ENUM -> symbol(name, s);
            case BYTES -> text(name, v -> Base64.getEncoder().encodeToString(bytes((ByteBuffer) v)));
            case FIXED -> text(name, v -> Base64.getEncoder().encodeToString(((GenericFixed) v).bytes()));
            case INT -> leaf(name, new ArrowType.Int(32, true), vector -> (i, v) -> ((IntVector) vector).setSafe(i, (Integer) v));
            case LONG -> leaf(name, new ArrowType.Int(64, true), vector -> (i, v) -> ((BigIntVector) vector).setSafe(i, (Long) v));
            case FLOAT -> leaf(name, new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE), vector -> (i, v) ->
                    ((Float4Vector) vector).setSafe(i, (Float) v));
            case DOUBLE -> leaf(name, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE), vector -> (i, v) ->
                    ((Float8Vector) vector).setSafe(i, (Double) v));
            case BOOLEAN -> leaf(name, ArrowType.Bool.INSTANCE, vector -> (i, v) -> ((BitVector) vector).setSafe(i, (Boolean) v ? 1 : 0));
            case RECORD -> record(name, s);
            case ARRAY -> list(name, s);
            case MAP -> map(name, s);
            default -> text(name, AvroJson::text);
        };
    }

    private static Typed leaf(String name, ArrowType type, Binder binder) {
        return new Typed(Field.nullable(name, type), binder);
    }

    /** A value kept as text: what {@code asText} makes of it. */
    private static Typed text(String name, java.util.function.Function<Object, Object> asText) {
        return leaf(name, ArrowType.Utf8.INSTANCE, vector -> (i, v) -> text((VarCharVector) vector, i, asText.apply(v)));
    }

    /** Most decimals fit a long unscaled: written as that, without Arrow's byte-by-byte path (which checks the rest). */
    private static void decimal(DecimalVector vector, int i, BigDecimal v, LogicalTypes.Decimal d) {
        BigInteger unscaled = v.unscaledValue();
        if (v.scale() == d.getScale() && unscaled.bitLength() < Long.SIZE && v.precision() <= d.getPrecision()) {
            vector.setSafe(i, unscaled.longValue());
        } else {
            vector.setSafe(i, v);
        }
    }

    /** An enum's symbols as UTF-8 once, not per value. */
    private static Typed symbol(String name, Schema s) {
        Map<String, byte[]> symbols = new HashMap<>();
        s.getEnumSymbols().forEach(symbol -> symbols.put(symbol, symbol.getBytes(StandardCharsets.UTF_8)));
        return leaf(name, ArrowType.Utf8.INSTANCE, vector -> (i, v) -> {
            String symbol = v.toString();
            byte[] bytes = symbols.get(symbol);
            ((VarCharVector) vector).setSafe(i, bytes != null ? bytes : symbol.getBytes(StandardCharsets.UTF_8));
        });
    }

    private static Typed timestamp(String name, String logical, String zone) {
        TimeUnit unit = logical.endsWith("millis") ? TimeUnit.MILLISECOND : logical.endsWith("micros") ? TimeUnit.MICROSECOND : TimeUnit.NANOSECOND;
        return leaf(name, new ArrowType.Timestamp(unit, zone), vector -> (i, v) -> ((TimeStampVector) vector).setSafe(i, epoch(unit, v)));
    }

    /** The instant in the unit, from what the decoder gives: a number already, or an Instant or LocalDateTime. */
    private static long epoch(TimeUnit unit, Object v) {
        if (v instanceof Long n) {
            return n;
        }
        Instant at = v instanceof LocalDateTime t ? t.toInstant(ZoneOffset.UTC) : (Instant) v;
        return switch (unit) {
            case MILLISECOND -> at.toEpochMilli();
            case MICROSECOND -> Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
            default -> Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
        };
    }

    private static Typed record(String name, Schema s) {
        List<Field> children = new ArrayList<>();
        List<Binder> binders = new ArrayList<>();
        for (Schema.Field f : s.getFields()) {
            Typed child = typed(f.name(), f.schema());
            children.add(child.field());
            binders.add(nullable(child.binder()));
        }
        int[] positions = s.getFields().stream().mapToInt(Schema.Field::pos).toArray();
        return new Typed(new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), children), vector -> {
            StructVector struct = (StructVector) vector;
            Writer[] writers = new Writer[positions.length];
            for (int c = 0; c < writers.length; c++) {
                writers[c] = binders.get(c).bind((FieldVector) struct.getChildByOrdinal(c));
            }
            return (i, v) -> {
                IndexedRecord record = (IndexedRecord) v;
                struct.setIndexDefined(i);
                for (int c = 0; c < writers.length; c++) {
                    writers[c].write(i, record.get(positions[c]));
                }
            };
        });
    }

    private static Typed list(String name, Schema s) {
        Typed element = typed(ListVector.DATA_VECTOR_NAME, s.getElementType());
        Binder elements = nullable(element.binder());
        return new Typed(new Field(name, FieldType.nullable(ArrowType.List.INSTANCE), List.of(element.field())), vector -> {
            ListVector list = (ListVector) vector;
            Writer writeElement = elements.bind(list.getDataVector());
            return (i, v) -> {
                int at = list.startNewValue(i);
                int n = 0;
                for (Object e : (Collection<?>) v) {
                    writeElement.write(at + n++, e);
                }
                list.endValue(i, n);
            };
        });
    }

    private static Typed map(String name, Schema s) {
        Typed value = typed(MapVector.VALUE_NAME, s.getValueType());
        Binder values = nullable(value.binder());
        Field entries = new Field(MapVector.DATA_VECTOR_NAME, FieldType.notNullable(ArrowType.Struct.INSTANCE),
                List.of(Field.notNullable(MapVector.KEY_NAME, ArrowType.Utf8.INSTANCE), value.field()));
        return new Typed(new Field(name, FieldType.nullable(new ArrowType.Map(false)), List.of(entries)), vector -> {
            MapVector map = (MapVector) vector;
            StructVector entry = (StructVector) map.getDataVector();
            VarCharVector keys = (VarCharVector) entry.getChildByOrdinal(0);
            Writer writeValue = values.bind((FieldVector) entry.getChildByOrdinal(1));
            return (i, v) -> {
                int at = map.startNewValue(i);
                int n = 0;
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    entry.setIndexDefined(at + n);
                    text(keys, at + n, e.getKey());
                    writeValue.write(at + n, e.getValue());
                    n++;
                }
                map.endValue(i, n);
            };
        });
    }

    /** Null where the value is null; the field's own writer otherwise. */
    private static Binder nullable(Binder binder) {
        return vector -> {
            Writer writer = binder.bind(vector);
            return (i, v) -> {
                if (v == null) {
                    vector.setNull(i);
                } else {
                    writer.write(i, v);
                }
            };
        };
    }

    private static void text(VarCharVector vector, int i, Object v) {
        if (v == null) {
            vector.setNull(i);
        } else if (v instanceof Utf8 utf8) {
            vector.setSafe(i, utf8.getBytes(), 0, utf8.getByteLength());
        } else {
            vector.setSafe(i, v.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return bytes;
    }
}
