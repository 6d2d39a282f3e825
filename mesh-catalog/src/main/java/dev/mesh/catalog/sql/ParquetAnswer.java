package dev.mesh.catalog.sql;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A query's answer as a Parquet file, for downloads: written by a DuckDB of its own (not the query's, which reaches
 * no file) from the answer's rows with the answer's column types; an ENUM becomes text, as its symbols are not named.
 */
public final class ParquetAnswer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ParquetAnswer() {
    }

    public static byte[] of(SqlEngine.Result answer) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("mesh-sql-parquet");
            Path rows = dir.resolve("rows.json");
            Path parquet = dir.resolve("answer.parquet");
            try (Writer out = Files.newBufferedWriter(rows, StandardCharsets.UTF_8)) {
                for (List<Object> row : answer.rows()) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    for (int i = 0; i < answer.columns().size(); i++) {
                        line.put(answer.columns().get(i).name(), row.get(i));
                    }
                    out.write(JSON.writeValueAsString(line));
                    out.write('\n');
                }
            }
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
                try (Statement s = duck.createStatement()) {
                    s.execute(copy(rows, parquet, columns(answer, false)));
                } catch (SQLException typed) {
                    // a type JSON cannot carry back (BIT, BIGNUM, ...): every column as the text the answer holds
                    try (Statement s = duck.createStatement()) {
                        s.execute(copy(rows, parquet, columns(answer, true)));
                    }
                }
            }
            return Files.readAllBytes(parquet);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the answer as Parquet: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the answer as Parquet: " + e.getMessage(), e);
        } finally {
            if (dir != null) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException e) {
                    // a temporary directory: nothing more to do
                }
            }
        }
    }

    private static String copy(Path rows, Path parquet, String columns) {
        return "COPY (SELECT * FROM read_json(" + DuckTypes.literal(rows.toString()) + ", format = 'newline_delimited',"
                + " columns = " + columns + ")) TO " + DuckTypes.literal(parquet.toString()) + " (FORMAT parquet)";
    }

    /** The answer's columns as read_json takes them: with their types, or all as text. */
    private static String columns(SqlEngine.Result answer, boolean asText) {
        StringBuilder columns = new StringBuilder("{");
        for (SqlEngine.Column c : answer.columns()) {
            String type = asText || c.type().startsWith("ENUM") ? "VARCHAR" : c.type();
            columns.append(columns.length() > 1 ? ", " : "").append(DuckTypes.literal(c.name())).append(": ")
                    .append(DuckTypes.literal(type));
        }
        return columns.append('}').toString();
    }
}
