package dev.mesh.catalog.sql;

import dev.mesh.sdk.ops.ProductSnapshot;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.avro.Schema;
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
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Writes a topic's rows as one Parquet file in the {@link RowCache} layout. The reading thread only queues the decoded
 * rows; DuckDB, on a thread of its own, takes them as an Arrow stream, each batch written typed into Arrow vectors
 * ({@link ArrowRows}) as DuckDB asks for it, and writes the Parquet: reading and writing overlap, and at most
 * {@value #QUEUED} batches of rows (each at most {@value #ROWS_PER_BATCH} rows and about {@value #BYTES_PER_BATCH}
 * bytes of records) wait between them, so memory stays bounded whatever the topic holds. The file is
 * written aside and moved in place once whole: a read that fails or stops early leaves nothing.
 */
final class SegmentWriter implements AutoCloseable {
    static final int ROWS_PER_BATCH = 8_192;
    /** A batch also ends at this many bytes of records (as they were in the topic): large records, fewer per batch. */
    static final int BYTES_PER_BATCH = 2 << 20;
    private static final int QUEUED = 4;
    private static final long ARROW_MEMORY = 256L << 20;
    /** DuckDB's memory while it writes: it writes Parquet a row group (122,880 rows) at a time, from the batches it holds. */
    private static final String DUCKDB_MEMORY = "256MB";
    /** Markers on the queue, told apart by identity: the rows are all there, or the read stopped and nothing is kept. */
    private static final List<ProductSnapshot.Row> END = java.util.Collections.unmodifiableList(new ArrayList<>());
    private static final List<ProductSnapshot.Row> ABORT = java.util.Collections.unmodifiableList(new ArrayList<>());

    private final ArrowRows rows;
    private final DecimalFit fit;
    private final Path file;
    private final BufferAllocator allocator;
    private final DuckDBConnection duck;
    private final ExecutorService copier;
    private final BlockingQueue<List<ProductSnapshot.Row>> batches = new ArrayBlockingQueue<>(QUEUED);
    private Future<Path> written;
    private List<ProductSnapshot.Row> batch = new ArrayList<>(ROWS_PER_BATCH);
    private long batchBytes;
    private int handed;

    /** The file goes to {@code dir}, named {@code name.parquet}. */
    SegmentWriter(Path dir, String name, Schema schema) {
        this.rows = new ArrowRows(schema);
        this.fit = new DecimalFit(schema);
        this.file = dir.resolve(name + ".parquet");
        try {
            Files.createDirectories(dir);
            java.util.Properties settings = new java.util.Properties();
            settings.setProperty("memory_limit", DUCKDB_MEMORY);
            this.duck = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep rows in " + dir + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot keep rows in " + dir + ": " + e.getMessage(), e);
        }
        this.allocator = new RootAllocator(ARROW_MEMORY);
        this.copier = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sql-keep-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues the row; if the write has stopped, says why. */
    void accept(ProductSnapshot.Row row) {
        batch.add(row);
        batchBytes += row.bytes();
        if (batch.size() == ROWS_PER_BATCH || batchBytes >= BYTES_PER_BATCH) {
            hand();
        }
    }

    /** Writes what is left; returns the file, if there were any rows. */
    Optional<Path> finish() {
        if (!batch.isEmpty()) {
            hand();
        }
        if (written == null) {
            return Optional.empty();
        }
        return Optional.of(end(END));
    }

    /** How many batches went to DuckDB so far. */
    int handed() {
        return handed;
    }

    /** Gives the full batch to DuckDB, starting the file with the first. */
    private void hand() {
        List<ProductSnapshot.Row> full = batch;
        batch = new ArrayList<>(ROWS_PER_BATCH);
        batchBytes = 0;
        handed++;
        if (written == null) {
            written = copier.submit(this::copy);
        }
        put(full);
    }

    private void put(List<ProductSnapshot.Row> full) {
        try {
            while (!batches.offer(full, 100, TimeUnit.MILLISECONDS)) {
                if (written.isDone()) {
                    end(null); // throws why
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keeping rows in " + file, e);
        }
    }

    /** Ends the write with {@code last} (nothing when it has stopped already) and waits for it. */
    private Path end(List<ProductSnapshot.Row> last) {
        try {
            if (last != null && !written.isDone()) {
                put(last);
            }
            return written.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot keep rows in " + file + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keeping rows in " + file, e);
        } finally {
            written = null;
            batches.clear();
        }
    }

    /** DuckDB's side: the queued rows, until the end, as the Parquet file. */
    private Path copy() throws IOException, SQLException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (QueuedRows reader = new QueuedRows(allocator);
             ArrowArrayStream exported = ArrowArrayStream.allocateNew(allocator)) {
            Data.exportArrayStream(allocator, reader, exported);
            duck.registerArrowStream("incoming", exported);
            try (Statement s = duck.createStatement()) {
                // the record's column keeps the Arrow types; a query's view casts each field to its own
                s.execute("COPY (SELECT _key, _partition, _offset, _ts, _kind, _skipped, v FROM incoming) TO "
                        + DuckTypes.literal(partial.toString()) + " (FORMAT parquet)");
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } finally {
            partial.toFile().delete();
        }
    }

    /**
     * The queued rows as the Arrow stream DuckDB reads: each batch written into the stream's vectors when asked for.
     * DuckDB asks from its threads one at a time, and may ask again after the stream ended or failed: it then gets the
     * same answer, never a wait.
     */
    private final class QueuedRows extends ArrowReader {
        private volatile boolean ended;
        private volatile IOException failed;

        QueuedRows(BufferAllocator allocator) {
            super(allocator);
        }

        @Override
        public boolean loadNextBatch() throws IOException {
            if (failed != null) {
                throw failed;
            }
            if (ended) {
                return false;
            }
            try {
                return load();
            } catch (IOException e) {
                failed = e;
                throw e;
            }
        }

        private boolean load() throws IOException {
            List<ProductSnapshot.Row> next;
            try {
                next = batches.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (next == ABORT) {
                throw new IOException("the read stopped before its end");
            }
            if (next == END) {
                ended = true;
                return false;
            }
            ArrowRows.Batch batch = rows.batch(getVectorSchemaRoot(), next.size());
            for (ProductSnapshot.Row row : next) {
                String unfit = row.value() == null ? null : fit.unfit(row.value());
                String skipped = unfit == null ? row.skipped()
                        : "partition " + row.partition() + " offset " + row.offset() + ": " + unfit;
                byte kind = skipped != null ? RowCache.SKIPPED : row.value() == null ? RowCache.TOMBSTONE : RowCache.VALUE;
                try {
                    batch.add(row.key(), row.partition(), row.offset(), row.timestamp().toEpochMilli(), kind, skipped,
                            skipped != null ? null : row.value());
                } catch (RuntimeException e) {
                    throw new IOException("partition " + row.partition() + " offset " + row.offset() + ": " + e.getMessage(), e);
                }
            }
            batch.root();
            return true;
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        protected void closeReadSource() {
        }

        @Override
        protected org.apache.arrow.vector.types.pojo.Schema readSchema() {
            return rows.arrowSchema();
        }
    }

    @Override
    public void close() {
        if (written != null) {
            try {
                end(ABORT);
            } catch (RuntimeException e) {
                // as asked: the write stopped, nothing of it is kept
            }
        }
        copier.shutdownNow();
        try {
            duck.close();
        } catch (SQLException e) {
            // an in-memory database: nothing to keep
        }
        allocator.close();
    }
}
