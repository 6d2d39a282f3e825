package dev.mesh.catalog.sql;

import dev.mesh.sdk.ops.ProductSnapshot;
import org.apache.avro.Schema;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a topic's rows as Parquet files in the {@link RowCache} layout: each row appended typed into a DuckDB
 * table of its own, written out every {@value #ROWS_PER_FILE} rows (so the writer's memory stays bounded whatever
 * the topic holds), each file written aside and moved in whole (a failed write leaves no broken file to read).
 */
final class SegmentWriter implements AutoCloseable {
    static final int ROWS_PER_FILE = 250_000;

    private final DuckDBConnection duck;
    private final Schema schema;
    private final Path dir;
    private final String prefix;
    private final List<Path> files = new ArrayList<>();
    private DuckDBAppender appender;
    private int rows;

    /** Files go to {@code dir}, named {@code prefix-NNN.parquet}. */
    SegmentWriter(Path dir, String prefix, Schema schema) {
        this.dir = dir;
        this.prefix = prefix;
        this.schema = schema;
        try {
            Files.createDirectories(dir);
            this.duck = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
            try (Statement s = duck.createStatement()) {
                s.execute("CREATE TABLE rows (_key VARCHAR, _partition INTEGER, _offset BIGINT, _ts BIGINT, _kind TINYINT,"
                        + " _skipped VARCHAR, v " + DuckTypes.appended(schema) + ")");
            }
            this.appender = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rows");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep rows in " + dir + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot keep rows in " + dir + ": " + e.getMessage(), e);
        }
    }

    void accept(ProductSnapshot.Row row) {
        try {
            appender.beginRow();
            text(row.key());
            appender.append(row.partition());
            appender.append(row.offset());
            appender.append(row.timestamp().toEpochMilli());
            appender.append(row.isSkipped() ? RowCache.SKIPPED : row.value() == null ? RowCache.TOMBSTONE : RowCache.VALUE);
            text(row.skipped());
            AvroAppender.append(appender, schema, row.value());
            appender.endRow();
        } catch (SQLException | RuntimeException e) {
            throw new IllegalStateException("cannot keep partition " + row.partition() + " offset " + row.offset()
                    + " in " + dir + ": " + e.getMessage(), e);
        }
        if (++rows == ROWS_PER_FILE) {
            flush();
        }
    }

    /** Writes what is left; returns every file written, in order. */
    List<Path> finish() {
        flush();
        return List.copyOf(files);
    }

    private void text(String value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else {
            appender.append(value);
        }
    }

    private void flush() {
        if (rows == 0) {
            return;
        }
        Path file = dir.resolve(String.format("%s-%03d.parquet", prefix, files.size()));
        Path partial = dir.resolve(file.getFileName() + ".partial");
        try {
            appender.close();
            try (Statement s = duck.createStatement()) {
                s.execute("COPY (SELECT _key, _partition, _offset, _ts, _kind, _skipped, CAST(v AS " + DuckTypes.kept(schema)
                        + ") AS v FROM rows) TO " + DuckTypes.literal(partial.toString()) + " (FORMAT parquet)");
                s.execute("DELETE FROM rows");
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            files.add(file);
            rows = 0;
            appender = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rows");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep rows in " + file + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot keep rows in " + file + ": " + e.getMessage(), e);
        } finally {
            partial.toFile().delete();
        }
    }

    @Override
    public void close() {
        try {
            if (!appender.isClosed()) {
                appender.close();
            }
        } catch (SQLException e) {
            // rows not written are not kept: the cache reads them again
        }
        try {
            duck.close();
        } catch (SQLException e) {
            // an in-memory database: nothing to keep
        }
    }
}
