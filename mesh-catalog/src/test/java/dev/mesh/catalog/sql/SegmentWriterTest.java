package dev.mesh.catalog.sql;

import dev.mesh.sdk.ops.ProductSnapshot;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Rows written typed (no text in between) read back through the product types a query sees, every Avro kind. */
class SegmentWriterTest {
    private static final Schema DECIMAL = LogicalTypes.decimal(12, 2).addToSchema(Schema.create(Schema.Type.BYTES));
    private static final Schema INSTANT = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    private static final Schema DATE = LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
    private static final Schema UUID = LogicalTypes.uuid().addToSchema(Schema.create(Schema.Type.STRING));
    private static final Schema LINE = SchemaBuilder.record("Line").fields()
            .requiredString("sku").name("price").type(DECIMAL).noDefault().endRecord();
    private static final Schema ORDER = SchemaBuilder.record("Order").namespace("t").fields()
            .name("id").type(UUID).noDefault()
            .name("total").type(DECIMAL).noDefault()
            .name("at").type(INSTANT).noDefault()
            .name("day").type(DATE).noDefault()
            .name("channel").type().enumeration("Channel").symbols("WEB", "STORE").noDefault()
            .name("lines").type().array().items(LINE).noDefault()
            .name("labels").type().map().values().longType().noDefault()
            .name("note").type().optional().stringType()
            .name("either").type().unionOf().nullType().and().longType().and().stringType().endUnion().nullDefault()
            .name("raw").type().bytesType().noDefault()
            .name("ratio").type().doubleType().noDefault()
            .name("opening").type(LogicalTypes.timeMillis().addToSchema(Schema.create(Schema.Type.INT))).noDefault()
            .name("wallClock").type(LogicalTypes.localTimestampMicros().addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
            .name("maybeLines").type().array().items().unionOf().nullType().and().type(LINE).endUnion().noDefault()
            .name("byName").type().map().values(LINE).noDefault()
            .name("gift").type().optional().type(LINE)
            .endRecord();

    @TempDir
    Path dir;

    @Test
    void everyAvroKindReadsBackAsItsProductType() throws Exception {
        GenericRecord line = new GenericData.Record(LINE);
        line.put("sku", "sku-1");
        line.put("price", new BigDecimal("19.99"));
        GenericRecord order = new GenericData.Record(ORDER);
        order.put("id", "0f8fad5b-d9cb-469f-a165-70867728950e");
        order.put("total", new BigDecimal("39.98"));
        order.put("at", Instant.parse("2026-12-05T10:15:30.123Z"));
        order.put("day", LocalDate.parse("2026-12-05"));
        order.put("channel", new GenericData.EnumSymbol(ORDER.getField("channel").schema(), "STORE"));
        List<GenericRecord> lines = new ArrayList<>();
        lines.add(line);
        lines.add(line);
        order.put("lines", lines);
        order.put("labels", Map.of("campaign", 7L));
        order.put("note", null);
        order.put("either", "text");
        order.put("raw", ByteBuffer.wrap(new byte[]{1, 2, 3}));
        order.put("ratio", 0.25);
        order.put("opening", java.time.LocalTime.parse("09:30:15.250"));
        order.put("wallClock", java.time.LocalDateTime.parse("2026-12-05T11:15:30.123456"));
        List<GenericRecord> maybeLines = new ArrayList<>();
        maybeLines.add(null);
        maybeLines.add(line);
        order.put("maybeLines", maybeLines);
        order.put("byName", Map.of("first", line));
        order.put("gift", null);

        Path file;
        try (SegmentWriter writer = new SegmentWriter(dir, "segment", ORDER)) {
            writer.accept(new ProductSnapshot.Row("k1", 0, 5, Instant.ofEpochMilli(1000), order, null));
            writer.accept(new ProductSnapshot.Row("k2", 1, 6, Instant.ofEpochMilli(2000), null, null));
            writer.accept(new ProductSnapshot.Row("k3", 1, 7, Instant.ofEpochMilli(3000), null, "does not decode"));
            file = writer.finish().orElseThrow();
        }
        assertThat(file.getFileName()).hasToString("segment.parquet");

        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
            s.execute("CREATE TABLE o AS SELECT _key, _kind, _skipped, unnest(CAST(v AS " + DuckTypes.of(ORDER) + "))"
                    + " FROM read_parquet(" + DuckTypes.literal(file.toString()) + ") ORDER BY _offset");
            try (ResultSet r = s.executeQuery("SELECT _kind, _skipped, id::VARCHAR, total, typeof(total), epoch_ms(\"at\"), \"day\"::VARCHAR,"
                    + " channel::VARCHAR, typeof(channel), len(lines), lines[2].price, lines[1].sku, labels['campaign'], note, either::VARCHAR,"
                    + " typeof(either), raw, ratio, opening::VARCHAR, wallClock::VARCHAR, typeof(wallClock), len(maybeLines),"
                    + " maybeLines[1] IS NULL, maybeLines[2].sku, byName['first'].price, gift IS NULL FROM o ORDER BY _key")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getInt(1)).isEqualTo(RowCache.VALUE);
                assertThat(r.getString(2)).isNull();
                assertThat(r.getString(3)).isEqualTo("0f8fad5b-d9cb-469f-a165-70867728950e");
                assertThat(r.getBigDecimal(4)).isEqualByComparingTo("39.98");
                assertThat(r.getString(5)).isEqualTo("DECIMAL(12,2)");
                assertThat(r.getLong(6)).isEqualTo(Instant.parse("2026-12-05T10:15:30.123Z").toEpochMilli());
                assertThat(r.getString(7)).isEqualTo("2026-12-05");
                assertThat(r.getString(8)).isEqualTo("STORE");
                assertThat(r.getString(9)).startsWith("ENUM(");
                assertThat(r.getInt(10)).isEqualTo(2);
                assertThat(r.getBigDecimal(11)).isEqualByComparingTo("19.99");
                assertThat(r.getString(12)).isEqualTo("sku-1");
                assertThat(r.getLong(13)).isEqualTo(7L);
                assertThat(r.getString(14)).isNull();
                assertThat(r.getString(15)).isEqualTo("\"text\"");
                assertThat(r.getString(16)).isEqualTo("JSON");
                assertThat(r.getString(17)).isEqualTo("AQID");
                assertThat(r.getDouble(18)).isEqualTo(0.25);
                assertThat(r.getString(19)).isEqualTo("09:30:15.25");
                assertThat(r.getString(20)).isEqualTo("2026-12-05 11:15:30.123456");
                assertThat(r.getString(21)).isEqualTo("TIMESTAMP");
                assertThat(r.getInt(22)).isEqualTo(2);
                assertThat(r.getBoolean(23)).as("a null element stays null").isTrue();
                assertThat(r.getString(24)).isEqualTo("sku-1");
                assertThat(r.getBigDecimal(25)).isEqualByComparingTo("19.99");
                assertThat(r.getBoolean(26)).isTrue();

                assertThat(r.next()).isTrue();
                assertThat(r.getInt(1)).as("a tombstone").isEqualTo(RowCache.TOMBSTONE);
                assertThat(r.next()).isTrue();
                assertThat(r.getInt(1)).isEqualTo(RowCache.SKIPPED);
                assertThat(r.getString(2)).isEqualTo("does not decode");
                assertThat(r.next()).isFalse();
            }
        }
    }

    @Test
    void rowsOfManyBatchesAreKeptWholeAndInOrder() throws Exception {
        Schema schema = SchemaBuilder.record("N").fields().requiredLong("n").endRecord();
        int count = SegmentWriter.ROWS_PER_BATCH * 3 + 1;
        Path file;
        try (SegmentWriter writer = new SegmentWriter(dir, "segment", schema)) {
            for (int i = 0; i < count; i++) {
                writer.accept(new ProductSnapshot.Row(null, 0, i, Instant.EPOCH, number(schema, i), null));
            }
            file = writer.finish().orElseThrow();
        }
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*), sum(v.n), bool_and(v.n = _offset) FROM read_parquet("
                     + DuckTypes.literal(file.toString()) + ")")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getLong(1)).isEqualTo(count);
            assertThat(r.getLong(2)).isEqualTo((long) count * (count - 1) / 2);
            assertThat(r.getBoolean(3)).isTrue();
        }
    }

    @Test
    void largeRecordsMakeSmallerBatchesSoTheRowsHeldStayBounded() throws Exception {
        Schema schema = SchemaBuilder.record("N").fields().requiredLong("n").endRecord();
        int large = SegmentWriter.BYTES_PER_BATCH / 2; // as if each record were a megabyte in the topic
        Path file;
        try (SegmentWriter writer = new SegmentWriter(dir, "segment", schema)) {
            for (int i = 0; i < 5; i++) {
                writer.accept(new ProductSnapshot.Row(null, 0, i, Instant.EPOCH, number(schema, i), null, large));
            }
            assertThat(writer.handed()).as("a batch per two large records").isEqualTo(2);
            file = writer.finish().orElseThrow();
        }
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*), sum(v.n) FROM read_parquet(" + DuckTypes.literal(file.toString()) + ")")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getLong(1)).isEqualTo(5);
            assertThat(r.getLong(2)).isEqualTo(10);
        }
    }

    @Test
    void aReadThatStopsBeforeItsEndKeepsNothing() throws Exception {
        Schema schema = SchemaBuilder.record("N").fields().requiredLong("n").endRecord();
        try (SegmentWriter writer = new SegmentWriter(dir, "segment", schema)) {
            for (int i = 0; i < SegmentWriter.ROWS_PER_BATCH + 5; i++) { // one batch handed over: the file was begun
                writer.accept(new ProductSnapshot.Row(null, 0, i, Instant.EPOCH, number(schema, i), null));
            }
        }
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.toList()).as("no file, whole or partial").isEmpty();
        }
    }

    @Test
    void aRecordWhoseValueDoesNotFitItsColumnIsKeptAsSkippedWithWhy() throws Exception {
        Schema money = SchemaBuilder.record("Money").fields().name("value").type(DECIMAL).noDefault().endRecord();
        Schema schema = SchemaBuilder.record("D").fields().name("lines").type().array().items(money).noDefault().endRecord();
        Path file;
        try (SegmentWriter writer = new SegmentWriter(dir, "segment", schema)) {
            writer.accept(new ProductSnapshot.Row("fits", 0, 0, Instant.EPOCH, lines(schema, money, "1.50", "2.00"), null));
            // 16 digits in a DECIMAL(12,2): a raw client can write it where no contract bounds the product
            writer.accept(new ProductSnapshot.Row("too-long", 3, 41, Instant.EPOCH, lines(schema, money, "1.00", "12345678901234.50"), null));
            writer.accept(new ProductSnapshot.Row("after", 3, 42, Instant.EPOCH, lines(schema, money, "3.25"), null));
            file = writer.finish().orElseThrow();
        }
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement();
             ResultSet r = s.executeQuery("SELECT _key, _kind, _skipped, list_sum([l.value FOR l IN v.lines]) FROM read_parquet("
                     + DuckTypes.literal(file.toString()) + ") ORDER BY _partition, _offset")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isEqualTo("fits");
            assertThat(r.getBigDecimal(4)).isEqualByComparingTo("3.50");
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isEqualTo("too-long");
            assertThat(r.getInt(2)).isEqualTo(RowCache.SKIPPED);
            assertThat(r.getString(3)).isEqualTo("partition 3 offset 41: lines[].value has 16 digits at scale 2, more than DECIMAL(12,2) holds");
            assertThat(r.getObject(4)).isNull();
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).as("the rows after it are whole").isEqualTo("after");
            assertThat(r.getInt(2)).isEqualTo(RowCache.VALUE);
            assertThat(r.getBigDecimal(4)).isEqualByComparingTo("3.25");
            assertThat(r.next()).isFalse();
        }
    }

    private static GenericRecord lines(Schema schema, Schema money, String... values) {
        List<GenericRecord> lines = new ArrayList<>();
        for (String value : values) {
            GenericRecord m = new GenericData.Record(money);
            m.put("value", new BigDecimal(value));
            lines.add(m);
        }
        GenericRecord r = new GenericData.Record(schema);
        r.put("lines", lines);
        return r;
    }

    @Test
    void noRowsNoFile() throws Exception {
        try (SegmentWriter writer = new SegmentWriter(dir, "segment", ORDER)) {
            assertThat(writer.finish()).isEmpty();
        }
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    private static GenericRecord number(Schema schema, long n) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("n", n);
        return r;
    }

    static {
        GenericData.get().addLogicalTypeConversion(new Conversions.DecimalConversion());
    }
}
