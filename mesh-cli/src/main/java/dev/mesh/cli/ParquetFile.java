package dev.mesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
import java.util.ArrayList;
import java.util.List;

/**
 * A query's answer as a Parquet file, written by DuckDB on this machine with the answer's own column types (an ENUM
 * becomes text: the answer names no symbols).
 */
final class ParquetFile {
    private ParquetFile() {
    }

    static void write(Path file, JsonNode answer) {
        List<String> names = new ArrayList<>();
        StringBuilder columns = new StringBuilder("{");
        for (JsonNode c : answer.path("columns")) {
            String type = c.path("type").asText();
            names.add(c.path("name").asText());
            columns.append(columns.length() > 1 ? ", " : "").append(literal(c.path("name").asText())).append(": ")
                    .append(literal(type.startsWith("ENUM") ? "VARCHAR" : type));
        }
        columns.append('}');
        Path rows = null;
        try {
            rows = Files.createTempFile("mesh-sql", ".json");
            try (Writer out = Files.newBufferedWriter(rows, StandardCharsets.UTF_8)) {
                for (JsonNode row : answer.path("rows")) {
                    ObjectNode line = Output.JSON.createObjectNode();
                    for (int i = 0; i < names.size(); i++) {
                        line.set(names.get(i), row.get(i));
                    }
                    out.write(line.toString());
                    out.write('\n');
                }
            }
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
                s.execute("COPY (SELECT * FROM read_json(" + literal(rows.toString()) + ", format = 'newline_delimited', columns = "
                        + columns + ")) TO " + literal(file.toAbsolutePath().toString()) + " (FORMAT parquet)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (rows != null) {
                rows.toFile().delete();
            }
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
