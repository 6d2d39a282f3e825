package dev.mesh.catalog.sql;

import dev.mesh.sdk.ops.ProductSnapshot;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;

/**
 * Product records kept on disk between queries as typed Parquet segments, one folder per topic and schema, so a
 * repeated query reads from Kafka only the offsets not kept yet and loads the rest at Parquet speed. Each row holds
 * the record as {@code v} (a STRUCT of the schema, in clear: queries mask), {@code _key}, {@code _partition},
 * {@code _offset}, {@code _ts} (epoch ms), {@code _kind} (0 value, 1 tombstone, 2 skipped) and {@code _skipped} (why).
 * New records are written typed by a {@link SegmentWriter} (a Parquet file per read); a query reads the segments (its
 * tables are views over them) while it holds the topic's read lock, until it has run, and filters them to its cut.
 * Bounded per topic: a topic that outgrows the bound is not kept, and each query writes its rows to a folder of its
 * own, deleted after loading. Its folder ({@code mesh-sql-rows} under
 * {@code catalog.sql.cache-dir}) is emptied when the catalog starts and removed when it stops.
 */
final class RowCache {
    static final byte VALUE = 0;
    static final byte TOMBSTONE = 1;
    static final byte SKIPPED = 2;
    private static final int MAX_SEGMENTS = 24;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RowCache.class);

    private final Path dir;
    private final long maxBytesPerTopic;
    private final Map<String, TopicRows> topics = new ConcurrentHashMap<>();

    private static final class TopicRows {
        final Path dir;
        final Map<TopicPartition, Long> next = new HashMap<>();
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        int segments;
        boolean tooLarge;

        TopicRows(Path dir) {
            this.dir = dir;
        }
    }

    /**
     * A query's rows: its Parquet files, how many records this query read from Kafka, and what to call once the query
     * has run (the files stay as they are until then).
     */
    record Rows(List<String> files, long readFromKafka, Runnable release) {
        boolean any() {
            return !files.isEmpty();
        }
    }

    /** Keeps rows in a folder of its own under {@code parent}: only that folder is ever emptied. */
    RowCache(Path parent, long maxBytesPerTopic) {
        this.dir = parent.resolve("mesh-sql-rows");
        this.maxBytesPerTopic = maxBytesPerTopic;
        delete(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + parent + " for the SQL cache (catalog.sql.cache-dir): " + e.getMessage(), e);
        }
    }

    /** Removes every kept row. */
    void close() {
        delete(dir);
    }

    /** Brings the topic's segments up to the cut (reading only offsets not kept yet) and holds them for loading. */
    Rows serve(String topic, Schema schema, ProductSnapshot snapshot, Map<TopicPartition, Long> cut, boolean latestCut,
               BooleanSupplier cancelled) {
        String folder = topic + "-" + Long.toHexString(SchemaNormalization.parsingFingerprint64(schema));
        TopicRows rows = topics.computeIfAbsent(folder, f -> new TopicRows(dir.resolve(f)));
        lock(rows.lock.writeLock(), topic, cancelled);
        long read;
        try {
            if (rows.tooLarge) {
                rows.lock.writeLock().unlock();
                return uncached(schema, snapshot, cut, cancelled);
            }
            if (latestCut && rows.next.entrySet().stream().anyMatch(e -> e.getValue() > cut.getOrDefault(e.getKey(), Long.MAX_VALUE))) {
                reset(rows); // the topic holds less than was kept: it was deleted and made again
            }
            read = append(rows, schema, snapshot, cut, cancelled);
            rows.lock.readLock().lock(); // held while the query loads: no merge or reset in between
        } finally {
            if (rows.lock.isWriteLockedByCurrentThread()) {
                rows.lock.writeLock().unlock();
            }
        }
        if (rows.tooLarge) {
            rows.lock.readLock().unlock();
            return uncached(schema, snapshot, cut, cancelled);
        }
        return new Rows(rows.segments > 0 ? parquetFiles(rows.dir) : List.of(), read, rows.lock.readLock()::unlock);
    }

    /** Waits for another query's read of the topic, as long as this query may wait. */
    private static void lock(java.util.concurrent.locks.Lock lock, String topic, BooleanSupplier cancelled) {
        try {
            while (!lock.tryLock(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (cancelled.getAsBoolean()) {
                    throw new SqlException(408, "sql: " + topic + " was being read for other queries until this query's"
                            + " timeout (catalog.sql.timeout); ask again");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SqlException(503, "sql: interrupted while waiting to read " + topic);
        }
    }

    /** A topic too large to keep: this query's rows in a folder of its own, deleted once they are loaded. */
    private Rows uncached(Schema schema, ProductSnapshot snapshot, Map<TopicPartition, Long> cut, BooleanSupplier cancelled) {
        Path own = dir.resolve("query-" + java.util.UUID.randomUUID());
        try {
            Written written = segment(own, "rows", schema, snapshot, Map.of(), cut, cancelled);
            return new Rows(written.files().stream().map(Path::toString).toList(), written.read(), () -> delete(own));
        } catch (RuntimeException e) {
            delete(own);
            throw e;
        }
    }

    private long append(TopicRows rows, Schema schema, ProductSnapshot snapshot, Map<TopicPartition, Long> cut, BooleanSupplier cancelled) {
        Map<TopicPartition, Long> from = new HashMap<>(rows.next);
        if (cut.entrySet().stream().noneMatch(e -> from.getOrDefault(e.getKey(), 0L) < e.getValue())) {
            return 0;
        }
        Written written;
        try {
            written = segment(rows.dir, String.format("segment-%06d", rows.segments), schema, snapshot, from, cut, cancelled);
        } catch (RuntimeException e) {
            reset(rows); // files of a failed read would be read again with the records after them
            throw e;
        }
        if (written.cutShort()) {
            return written.read(); // it kept nothing: what was kept before stays, and the next query reads on from there
        }
        long read = written.read();
        rows.segments += written.files().size();
        cut.forEach((tp, end) -> rows.next.merge(tp, end, Math::max));
        if (rows.segments > MAX_SEGMENTS) {
            merge(rows);
        }
        if (size(rows.dir) > maxBytesPerTopic) {
            reset(rows);
            rows.tooLarge = true;
        }
        return read;
    }

    /**
     * Reads [from, cut) of the topic into a Parquet file named {@code name} in {@code folder} (none when there was
     * nothing); returns the records read and the file written.
     */
    private static Written segment(Path folder, String name, Schema schema, ProductSnapshot snapshot, Map<TopicPartition, Long> from,
                                   Map<TopicPartition, Long> cut, BooleanSupplier cancelled) {
        long started = System.nanoTime();
        try (SegmentWriter writer = new SegmentWriter(folder, name, schema)) {
            long read = snapshot.read(from, cut, writer::accept, cancelled);
            if (cancelled.getAsBoolean()) {
                return new Written(read, List.of(), true); // closed unfinished: the writer keeps no file
            }
            List<Path> files = writer.finish().stream().toList();
            if (read > 0) {
                log.info("kept {} records in {} file(s) of {} in {} ms", read, files.size(), folder,
                        (System.nanoTime() - started) / 1_000_000);
            }
            return new Written(read, files, false);
        }
    }

    /** The records read and the file written; a read {@code cutShort} by its query's timeout writes none. */
    private record Written(long read, List<Path> files, boolean cutShort) {
    }

    /** Many small segments into one: loading globs fewer files. */
    private static void merge(TopicRows rows) {
        Path merged = rows.dir.resolve("merged.tmp");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
            s.execute("COPY (SELECT * FROM read_parquet(" + DuckTypes.literal(rows.dir.resolve("*.parquet").toString()) + ")) TO "
                    + DuckTypes.literal(merged.toString()) + " (FORMAT parquet)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot merge " + rows.dir + ": " + e.getMessage(), e);
        }
        try (var files = Files.list(rows.dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
                Files.delete(f);
            }
            Files.move(merged, rows.dir.resolve("segment-000000.parquet"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows.segments = 1;
    }

    private static List<String> parquetFiles(Path folder) {
        try (var files = Files.list(folder)) {
            return files.map(Path::toString).filter(f -> f.endsWith(".parquet")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the rows kept in " + folder + ": " + e.getMessage(), e);
        }
    }

    private static void reset(TopicRows rows) {
        rows.next.clear();
        rows.segments = 0;
        delete(rows.dir);
    }

    private static long size(Path folder) {
        try (var files = Files.list(folder)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (var files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + folder + ": " + e.getMessage(), e);
        }
    }
}
