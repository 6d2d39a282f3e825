package dev.mesh.catalog.sql;

import dev.mesh.catalog.CatalogApplication;
import dev.mesh.catalog.CatalogSnapshots;
import dev.mesh.sdk.access.AccessDecision;
import dev.mesh.sdk.audit.AuditEvent;
import dev.mesh.sdk.audit.AuditLog;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.ops.MeshOps;
import dev.mesh.sdk.ops.ProductSnapshot;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.apache.avro.Schema;
import org.apache.kafka.common.TopicPartition;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL over data products, in DuckDB. Each query gets an in-memory database of its own that reaches no file, URL or
 * extension once the products are loaded (external access off and configuration locked before the caller's SQL runs,
 * extensions never auto-loaded, a memory limit and a statement timeout): the products it names are decided by the one {@link AccessDecision} as the caller, read as
 * one cut (end offsets when it starts, or {@code asOf}), decoded through their contracts, PII masked unless the
 * caller may see it, and loaded as typed tables. Every query is in the audit trail (who, which products, how many
 * rows; never the values).
 */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class SqlEngine {
    private static final Pattern DESCRIBE = Pattern.compile("(?is)\\s*(?:DESCRIBE|DESC)\\s+([\\w.]+)\\s*;?\\s*");
    private static final String COMPACT = "compact";
    private static final String MASK = "***";

    private final MeshOps ops;
    private final CatalogSnapshots snapshots;
    private final AccessDecision decision;
    private final AuditLog audit;
    private final Duration timeout;
    private final String memoryLimit;
    private final int maxRows;
    private final RowCache cache;
    private final int concurrency;
    private final java.util.concurrent.Semaphore slots;
    private final Optional<String> unavailable = ArrowRows.unavailable();
    private final ScheduledExecutorService canceller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sql-timeout");
        t.setDaemon(true);
        return t;
    });

    SqlEngine(MeshOps ops, CatalogSnapshots snapshots, AccessDecision decision, AuditLog audit,
              @Value("${catalog.sql.timeout:30s}") Duration timeout,
              @Value("${catalog.sql.memory-limit:512MB}") String memoryLimit,
              @Value("${catalog.sql.max-rows:10000}") int maxRows,
              @Value("${catalog.sql.cache-dir:}") String cacheDir,
              @Value("${catalog.sql.cache-max-bytes:268435456}") long cacheMaxBytes,
              @Value("${catalog.sql.concurrency:2}") int concurrency) {
        this.ops = ops;
        this.snapshots = snapshots;
        this.decision = decision;
        this.audit = audit;
        this.timeout = timeout;
        this.memoryLimit = memoryLimit;
        this.maxRows = maxRows;
        this.concurrency = Math.max(1, concurrency);
        this.slots = new java.util.concurrent.Semaphore(this.concurrency, true);
        unavailable.ifPresent(why -> org.slf4j.LoggerFactory.getLogger(SqlEngine.class).error("SQL queries will be refused: {}", why));
        try {
            this.cache = new RowCache(cacheDir.isBlank() ? java.nio.file.Files.createTempDirectory("mesh-sql-cache") : java.nio.file.Path.of(cacheDir),
                    cacheMaxBytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A column of the answer. */
    public record Column(String name, String type) {
    }

    /**
     * Per product read: its table, topic, rows in the table, records skipped (undecodable or breaking its contract)
     * and why the first was, and how many records this query read from Kafka (the rest were kept from earlier ones).
     */
    public record Source(String table, String topic, long rows, long skipped, boolean piiMasked, String skippedBecause,
                         long readFromKafka) {
    }

    /**
     * The answer: columns, rows (values as JSON would show them), whether rows past {@code limit} were cut (the next
     * page starts at the offset asked plus the rows given), the products read, and the milliseconds spent reading and
     * executing.
     */
    public record Result(List<Column> columns, List<List<Object>> rows, boolean truncated, List<Source> sources,
                         Instant asOf, long readMillis, long executeMillis) {
    }

    /**
     * Runs one query as {@code principal} (null on a mesh without authentication).
     *
     * @throws SqlException for a query that may not or cannot run: 400 naming what is wrong, 403 naming the product
     */
    public Result query(String principal, String sql, Optional<Instant> asOf, int limit) {
        return query(principal, sql, asOf, limit, 0);
    }

    /** As {@link #query(String, String, Optional, int)}, from row {@code offset} of the answer: the API's pages. */
    public Result query(String principal, String sql, Optional<Instant> asOf, int limit, long offset) {
        long started = System.nanoTime();
        if (asOf.isPresent() && asOf.get().isBefore(Instant.EPOCH)) {
            // Kafka's timestamps start there; below it, offsets-for-times reads -1 as "latest" and -2 as "earliest"
            throw SqlException.badQuery("sql: asOf " + asOf.get() + " is before 1970-01-01T00:00:00Z, where Kafka's timestamps start");
        }
        if (asOf.isPresent() && asOf.get().isAfter(Instant.ofEpochMilli(Long.MAX_VALUE))) {
            throw SqlException.badQuery("sql: asOf " + asOf.get() + " is past the last instant Kafka's timestamps hold");
        }
        if (unavailable.isPresent()) {
            throw new SqlException(503, "sql is not available in this catalog: " + unavailable.get());
        }
        Instant deadline = Instant.now().plus(timeout);
        // each query may take memoryLimit outside the heap: at most `concurrency` of them at once
        try {
            if (!slots.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SqlException(503, "sql: " + slots.availablePermits() + " of " + concurrency + " query slots free for "
                        + timeout.toSeconds() + " s (catalog.sql.concurrency); ask again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SqlException(503, "sql: interrupted while waiting for a query slot");
        }
        try {
            return run(principal, sql, asOf, limit, offset, started, deadline);
        } finally {
            slots.release();
        }
    }

    private Result run(String principal, String sql, Optional<Instant> asOf, int limit, long offset, long started, Instant deadline) {
        int rowLimit = Math.max(1, Math.min(limit <= 0 ? maxRows : limit, maxRows));
        try (DuckDBConnection duck = open()) {
            Matcher describe = DESCRIBE.matcher(sql == null ? "" : sql);
            String query = sql;
            SqlStatement statement;
            if (describe.matches()) {
                String[] parts = describe.group(1).split("\\.", 2);
                SqlStatement.TableRef ref = new SqlStatement.TableRef(parts.length == 2 ? parts[0] : "", parts[parts.length - 1], 9);
                statement = new SqlStatement(sql, List.of(ref));
                query = "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE schema_name = "
                        + DuckTypes.literal(ref.schema()) + " AND table_name = " + DuckTypes.literal(ref.table()) + " ORDER BY column_index";
            } else {
                statement = SqlStatement.parse(duck, sql);
            }
            if (statement.tables().isEmpty()) {
                throw SqlException.badQuery("sql: the query names no product; name one as domain.product, e.g. FROM sales.orders");
            }
            ProductTables tables = new ProductTables(snapshots.current());
            Map<SqlStatement.TableRef, ProductTables.Table> named = new LinkedHashMap<>();
            statement.tables().forEach(ref -> named.put(ref, tables.resolve(ref)));
            List<ProductEntry> products = named.values().stream().map(ProductTables.Table::product).distinct().toList();
            try {
                Result result = answer(duck, principal, query, named, asOf, rowLimit, offset, started, deadline);
                audit(principal, products, "rows", result.rows().size());
                return result;
            } catch (SqlException e) {
                audit(principal, products, "failed", e.status()); // its message may hold values: only how it failed
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB failed: " + e.getMessage(), e);
        }
    }

    /** Decides access to every table named, reads each product once, makes its view, and runs the query. */
    private Result answer(DuckDBConnection duck, String principal, String query, Map<SqlStatement.TableRef, ProductTables.Table> named,
                          Optional<Instant> asOf, int rowLimit, long offset, long started, Instant deadline) throws SQLException {
        Map<ProductEntry, Boolean> reveal = new LinkedHashMap<>();
        for (ProductTables.Table t : named.values()) {
            if (t.deadLetters()) {
                mayReadDeadLetters(principal, t.product());
            } else {
                reveal.put(t.product(), allowed(principal, t.product()));
            }
        }
        List<RowCache.Rows> kept = new ArrayList<>();
        try {
            // once per product however often it is named, and in one order for every query: the cache locks each topic
            Map<ProductEntry, Served> served = new LinkedHashMap<>();
            for (ProductEntry p : reveal.keySet().stream().sorted(java.util.Comparator.comparing(ProductEntry::topic)).toList()) {
                served.put(p, serve(p, asOf, deadline, kept));
            }
            List<Source> sources = new ArrayList<>();
            for (Map.Entry<SqlStatement.TableRef, ProductTables.Table> e : named.entrySet()) {
                ProductEntry p = e.getValue().product();
                sources.add(e.getValue().deadLetters() ? loadDeadLetters(duck, e.getKey(), p)
                        : view(duck, e.getKey(), p, served.get(p), reveal.get(p)));
            }
            long read = System.nanoTime();
            lockDown(duck, kept);
            return execute(duck, query, rowLimit, Math.max(0, offset), deadline, sources, asOf.orElse(null),
                    TimeUnit.NANOSECONDS.toMillis(read - started));
        } finally {
            kept.forEach(rows -> rows.release().run());
        }
    }

    /**
     * From here the caller's SQL runs: it reaches no file but the kept rows of its own products (which its tables are
     * views over, and which it cannot name: the statement admits no table function), no extension and no setting.
     */
    private static void lockDown(DuckDBConnection duck, List<RowCache.Rows> kept) throws SQLException {
        List<String> files = kept.stream().flatMap(rows -> rows.files().stream()).map(DuckTypes::literal).toList();
        try (Statement lock = duck.createStatement()) {
            lock.execute("SET allowed_paths = [" + String.join(", ", files) + "]");
            lock.execute("SET enable_external_access = false");
            lock.execute("SET lock_configuration = true");
        }
    }

    /** Stops the timeout thread and removes the rows kept on disk: they are a cache. */
    @jakarta.annotation.PreDestroy
    void close() {
        canceller.shutdownNow();
        cache.close();
    }

    private DuckDBConnection open() throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("autoinstall_known_extensions", "false");
        settings.setProperty("autoload_known_extensions", "false");
        settings.setProperty("memory_limit", memoryLimit);
        settings.setProperty("temp_directory", ""); // no spilling to disk: the memory limit is the bound
        settings.setProperty("threads", "2");
        return (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", settings);
    }

    /** Dead letters are the owner's and the admins' to see, as at {@code GET /api/ops/products/{id}/dlq}. */
    private void mayReadDeadLetters(String principal, ProductEntry p) {
        if (principal == null) {
            return; // no authentication
        }
        AccessDecision.Verdict see = decision.product(p.topic()).map(c -> decision.ownerOrAdmin(principal, c, "see the dead letters of"))
                .orElseGet(() -> decision.administer(principal));
        if (!see.allowed()) {
            throw SqlException.refused("sql: " + see.explanation());
        }
    }

    /** May the caller read the product (else the query fails naming it), and see its PII? */
    private boolean allowed(String principal, ProductEntry p) {
        if (principal == null) {
            return false; // no authentication: everyone reads, nobody unmasked
        }
        Optional<ProductContract> contract = decision.product(p.topic());
        AccessDecision.Verdict read = contract.map(c -> decision.read(principal, c))
                .orElseGet(() -> decision.read(principal, p.topic(), p.classification()));
        if (!read.allowed()) {
            throw SqlException.refused("sql: " + read.explanation());
        }
        return contract.map(c -> decision.reveal(principal, c).allowed()).orElse(false);
    }

    /** A product's rows as of the query's cut, kept and held until the query has run. */
    private record Served(Schema schema, Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> cut, RowCache.Rows rows) {
    }

    /** Brings the product's kept rows up to the cut; they are added to {@code kept}, to be released once the query has run. */
    private Served serve(ProductEntry p, Optional<Instant> asOf, Instant deadline, List<RowCache.Rows> kept) {
        Optional<ProductContract> contract = decision.product(p.topic());
        Schema schema = contract.map(ProductContract::schema)
                .orElseGet(() -> ops.mesh().registry().schemaById(ops.mesh().registry().latest(p.subject()).id()));
        ProductSnapshot snapshot = ops.snapshot(p, contract);
        Map<TopicPartition, Long> cut = snapshot.cut(asOf);
        Map<TopicPartition, Long> earliest = snapshot.earliest(cut);
        RowCache.Rows rows = cache.serve(p.topic(), schema, snapshot, cut, asOf.isEmpty(), () -> Instant.now().isAfter(deadline));
        kept.add(rows);
        if (Instant.now().isAfter(deadline)) {
            throw new SqlException(408, "sql: reading " + p.topic() + " took longer than the " + timeout.toSeconds()
                    + " s the catalog allows a query (catalog.sql.timeout)");
        }
        return new Served(schema, earliest, cut, rows);
    }

    /** Makes the product's table: a view over its served rows, typed, PII masked unless revealed. */
    private Source view(DuckDBConnection duck, SqlStatement.TableRef ref, ProductEntry p, Served served, boolean reveal)
            throws SQLException {
        Schema schema = served.schema();
        RowCache.Rows rows = served.rows();
        String schemaName = DuckTypes.identifier(ref.schema().toLowerCase());
        String table = schemaName + "." + DuckTypes.identifier(ref.table().toLowerCase());
        try (Statement s = duck.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schemaName);
            String source = rows.any()
                    ? "(SELECT * FROM read_parquet([" + String.join(", ", rows.files().stream().map(DuckTypes::literal).toList())
                    + "]) WHERE " + within(served.earliest(), served.cut()) + ")"
                    : "(SELECT NULL::VARCHAR AS _key, NULL::INTEGER AS _partition, NULL::BIGINT AS _offset, NULL::BIGINT AS _ts,"
                    + " NULL::TINYINT AS _kind, NULL::VARCHAR AS _skipped, NULL::" + DuckTypes.of(schema) + " AS v WHERE false)";
            // a table product (compacted, keyed state) is its latest value per key; a tombstone removes the key
            String values = COMPACT.equals(p.cleanupPolicy())
                    ? "(SELECT * FROM " + source + " WHERE _kind < " + RowCache.SKIPPED
                    + " QUALIFY row_number() OVER (PARTITION BY _key ORDER BY _offset DESC) = 1) WHERE _kind = " + RowCache.VALUE
                    : source + " WHERE _kind = " + RowCache.VALUE;
            s.execute("CREATE VIEW " + table + " AS SELECT " + columns(schema, reveal)
                    + ", _key, _partition, _offset, make_timestamptz(_ts * 1000) AS _timestamp FROM " + values);
            long skipped = 0;
            String skippedBecause = null;
            if (rows.any()) {
                try (ResultSet r = s.executeQuery("SELECT count(*), min(_skipped) FROM " + source + " WHERE _kind = " + RowCache.SKIPPED)) {
                    r.next();
                    skipped = r.getLong(1);
                    skippedBecause = r.getString(2);
                }
            }
            s.execute("COMMENT ON VIEW " + table + " IS " + DuckTypes.literal(p.description() == null ? p.product() : p.description()));
            for (Schema.Field f : schema.getFields()) {
                if (f.doc() != null) {
                    s.execute("COMMENT ON COLUMN " + table + "." + DuckTypes.identifier(f.name()) + " IS " + DuckTypes.literal(f.doc()));
                }
            }
            long loaded;
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
                r.next();
                loaded = r.getLong(1);
            }
            return new Source(ref.name(), p.topic(), loaded, skipped, !reveal, skippedBecause, rows.readFromKafka());
        }
    }

    /**
     * A column per field of the record, each read from the kept row's field alone (so a query reads from Parquet only
     * the fields it uses) and cast to its type (enums, uuids and unions of several types are kept as text); a PII
     * field masked unless revealed.
     */
    private static String columns(Schema schema, boolean reveal) {
        List<String> columns = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            String column = DuckTypes.identifier(f.name());
            String type = DuckTypes.of(f.schema());
            String value = "CAST(v." + column + " AS " + type + ")";
            if (!reveal && DuckTypes.holdsPii(f)) {
                value = type.equals("VARCHAR") ? "CASE WHEN v." + column + " IS NOT NULL THEN '" + MASK + "' END" : "CAST(NULL AS " + type + ")";
            }
            columns.add(value + " AS " + column);
        }
        return String.join(", ", columns);
    }

    /** The rows of the cut still in the topic: per partition, from its earliest offset to the cut. */
    private static String within(Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> cut) {
        StringBuilder where = new StringBuilder("(false");
        cut.forEach((tp, end) -> where.append(" OR (_partition = ").append(tp.partition()).append(" AND _offset >= ")
                .append(earliest.getOrDefault(tp, 0L)).append(" AND _offset < ").append(end).append(')'));
        return where.append(')').toString();
    }

    /**
     * The product's dead letters as a table: which DLQ and who refused each, by what rule and why, where it came
     * from, and the value as JSON with PII masked (dead letters are never revealed here).
     */
    private Source loadDeadLetters(DuckDBConnection duck, SqlStatement.TableRef ref, ProductEntry p) throws SQLException {
        String table = DuckTypes.identifier(ref.schema().toLowerCase()) + "." + DuckTypes.identifier(ref.table().toLowerCase());
        String raw = "_raw_dlq_" + ref.schema().toLowerCase() + "_" + ref.table().toLowerCase();
        try (Statement s = duck.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + DuckTypes.identifier(ref.schema().toLowerCase()));
            s.execute("CREATE TABLE " + DuckTypes.identifier(raw) + " (dlq VARCHAR, refused_by VARCHAR, rule VARCHAR, reason VARCHAR,"
                    + " origin VARCHAR, _key VARCHAR, _partition INTEGER, _offset BIGINT, _ts BIGINT, value VARCHAR)");
        }
        List<dev.mesh.sdk.ops.DeadLetter> letters = ops.deadLetters(p, maxRows);
        try (DuckDBAppender a = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, raw)) {
            for (var d : letters) {
                a.beginRow();
                for (String text : new String[]{d.dlqTopic(), d.refusedBy(), d.rule(), d.reason(), d.originTopic(), d.key()}) {
                    if (text == null) {
                        a.appendNull();
                    } else {
                        a.append(text);
                    }
                }
                a.append(d.partition());
                a.append(d.offset());
                a.append(d.timestamp());
                if (d.value() == null) {
                    a.appendNull();
                } else {
                    a.append(d.value().toString());
                }
                a.endRow();
            }
        }
        try (Statement s = duck.createStatement()) {
            s.execute("CREATE TABLE " + table + " AS SELECT dlq, refused_by, rule, reason, origin, _key, _partition, _offset,"
                    + " make_timestamptz(_ts * 1000) AS _timestamp, CAST(value AS JSON) AS value FROM " + DuckTypes.identifier(raw));
            s.execute("DROP TABLE " + DuckTypes.identifier(raw));
            s.execute("COMMENT ON TABLE " + table + " IS " + DuckTypes.literal("dead letters of " + p.product()));
        }
        return new Source(ref.name(), p.dlqTopic(), letters.size(), 0, true, null, letters.size());
    }

    private Result execute(DuckDBConnection duck, String query, int rowLimit, long offset, Instant deadline, List<Source> sources,
                           Instant asOf, long readMillis) throws SQLException {
        long started = System.nanoTime();
        try (Statement s = duck.createStatement()) {
            long left = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
            ScheduledFuture<?> cancel = canceller.schedule(() -> {
                try {
                    s.cancel();
                } catch (SQLException e) {
                    // the statement finished meanwhile
                }
            }, left, TimeUnit.MILLISECONDS);
            try (ResultSet r = s.executeQuery(query)) {
                ResultSetMetaData md = r.getMetaData();
                List<Column> columns = new ArrayList<>();
                java.util.Set<String> names = new java.util.HashSet<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    // SELECT count(*), count(*) names two columns alike: rows as objects (JSON lines, Parquet) need each once
                    String name = md.getColumnName(i);
                    for (int n = 2; !names.add(name); n++) {
                        name = md.getColumnName(i) + "_" + n;
                    }
                    columns.add(new Column(name, md.getColumnTypeName(i)));
                }
                List<List<Object>> rows = new ArrayList<>();
                boolean truncated = false;
                for (long skipped = 0; skipped < offset && r.next(); skipped++) {
                    // rows of earlier pages
                }
                while (r.next()) {
                    if (rows.size() == rowLimit) {
                        truncated = true;
                        break;
                    }
                    List<Object> row = new ArrayList<>(columns.size());
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(SqlValues.plain(r.getObject(i)));
                    }
                    rows.add(row);
                }
                return new Result(columns, rows, truncated, sources, asOf, readMillis,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            } catch (SQLException e) {
                if (Instant.now().isAfter(deadline) || e.getMessage().contains("Interrupt")) {
                    throw new SqlException(408, "sql: the query ran longer than the " + timeout.toSeconds()
                            + " s the catalog allows (catalog.sql.timeout) and was cancelled");
                }
                throw SqlException.badQuery("sql: " + e.getMessage().replaceFirst("^[A-Za-z ]*Error: ", "").trim());
            } finally {
                cancel.cancel(false);
            }
        }
    }

    /** An event per product the query named: which products together, and {@code what} came of it (never a value). */
    private void audit(String principal, java.util.Collection<ProductEntry> products, String what, int count) {
        List<String> topics = products.stream().map(ProductEntry::topic).toList();
        for (ProductEntry p : products) {
            audit.send(new AuditEvent(Instant.now(), principal == null ? "anonymous" : principal, "sql", p.topic(),
                    Map.of("products", String.join(",", topics), what, count)));
        }
    }
}
