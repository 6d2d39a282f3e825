package dev.mesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mesh sql}: a question to the mesh in SQL, answered by the catalog as the signed-in principal. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Query data products in SQL (DuckDB's dialect). Products are tables: domain.product with '_' for '-'"
                + " (finance.order_settlements), the latest major, or a major by name (sales.orders_v1). Columns are the"
                + " schema's fields plus _key, _partition, _offset, _timestamp. A compacted product reads as its latest"
                + " value per key. DESCRIBE <product> lists its columns with their docs.",
                "Runs in the catalog, as you: a product you may not read fails the query; PII is masked without a PII grant."})
final class SqlCommand implements Callable<Integer> {
    /** Longer than the catalog's own limit on a query (catalog.sql.timeout, 30 s by default), so the catalog says why. */
    private static final java.time.Duration PATIENCE = java.time.Duration.ofMinutes(5);
    @Mixin
    MarketplaceCommands.CatalogApi api;
    @Parameters(paramLabel = "<query>", arity = "0..1", description = "The query; without it, from --file or standard input")
    String query;
    @Option(names = {"-f", "--file"}, description = "Read the query from a file ('-' for standard input)")
    String file;
    @Option(names = "--csv", description = "CSV with a header row (RFC 4180)")
    boolean csv;
    @Option(names = "--parquet", paramLabel = "<file>", description = "Write the result to a Parquet file instead")
    Path parquet;
    @Option(names = "--as-of", description = "Read every product as it was at this instant, e.g. 2026-12-05T10:00:00Z")
    String asOf;
    @Option(names = "--limit", description = "At most this many rows (default and cap: the catalog's catalog.sql.max-rows)")
    Integer limit;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        String sql = text();
        ObjectNode body = Output.JSON.createObjectNode().put("sql", sql);
        if (asOf != null) {
            try {
                body.put("asOf", Instant.parse(asOf).toString());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--as-of '" + asOf + "' is not an instant such as 2026-12-05T10:00:00Z");
            }
        }
        if (limit != null) {
            body.put("limit", limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (parquet != null) {
            body.put("format", "parquet");
            Files.write(parquet, api.download("POST", "/api/sql", body, PATIENCE));
            out.println("wrote " + parquet);
            return 0;
        }
        JsonNode answer = api.call("POST", "/api/sql", body, PATIENCE);
        List<String> columns = new ArrayList<>();
        answer.path("columns").forEach(c -> columns.add(c.path("name").asText()));
        if (api.connection.json) { // one JSON object per row
            for (JsonNode row : answer.path("rows")) {
                ObjectNode line = Output.JSON.createObjectNode();
                for (int i = 0; i < columns.size(); i++) {
                    line.set(columns.get(i), row.get(i));
                }
                out.println(line);
            }
        } else if (csv) {
            out.println(String.join(",", columns.stream().map(SqlCommand::csvField).toList()));
            for (JsonNode row : answer.path("rows")) {
                List<String> fields = new ArrayList<>();
                row.forEach(v -> fields.add(v.isNull() ? "" : csvField(text(v))));
                out.println(String.join(",", fields));
            }
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode row : answer.path("rows")) {
                List<String> cells = new ArrayList<>();
                row.forEach(v -> cells.add(v.isNull() ? "NULL" : text(v)));
                rows.add(cells);
            }
            Output.table(out, columns, rows);
            out.println("(" + rows.size() + (rows.size() == 1 ? " row" : " rows") + ")");
        }
        notes(answer);
        return 0;
    }

    /** What the answer leaves out, on standard error so that --json and --csv stay clean. */
    private void notes(JsonNode answer) {
        PrintWriter err = spec.commandLine().getErr();
        if (answer.path("truncated").asBoolean()) {
            err.println("note: the result was cut at " + answer.path("rows").size() + " rows (--limit, catalog.sql.max-rows)");
        }
        for (JsonNode source : answer.path("sources")) {
            if (source.path("skipped").asLong() > 0) {
                err.println("note: " + source.path("skipped").asLong() + " record(s) of " + source.path("topic").asText()
                        + " skipped: " + source.path("skippedBecause").asText());
            }
            if (source.path("piiMasked").asBoolean()) {
                err.println("note: PII of " + source.path("topic").asText() + " is masked (a PII grant shows it)");
            }
        }
        err.flush();
    }

    private String text() throws IOException {
        if (query != null && file != null) {
            throw new IllegalArgumentException("give the query as an argument or with --file, not both");
        }
        if (query != null) {
            return query;
        }
        if (file == null || file.equals("-")) {
            return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return Files.readString(Path.of(file));
    }

    private static String text(JsonNode v) {
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static String csvField(String value) {
        if (value == null) {
            return "";
        }
        return value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
