package dev.mesh.catalog.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An answer downloaded as Parquet, read back by a second reader: typed where JSON carries the type, text where not. */
class ParquetAnswerTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheAnswersTypes() throws Exception {
        SqlEngine.Result answer = answer(List.of(new SqlEngine.Column("n", "INTEGER"), new SqlEngine.Column("amount", "DECIMAL(10,2)"),
                new SqlEngine.Column("nothing", "\"NULL\"")), List.of(java.util.Arrays.asList(7, new java.math.BigDecimal("12.50"), null)));
        List<String> read = readBack(ParquetAnswer.of(answer), "SELECT typeof(n), n, typeof(amount), amount FROM answer");
        assertThat(read).containsExactly("INTEGER", "7", "DECIMAL(10,2)", "12.50");
    }

    @Test
    void aTypeJsonCannotCarryBackIsWrittenAsText() throws Exception {
        // DuckDB's read_json has no BIT: before, the download failed with a 500
        SqlEngine.Result answer = answer(List.of(new SqlEngine.Column("flags", "BIT"), new SqlEngine.Column("n", "INTEGER")),
                List.of(List.of("101", 3)));
        assertThat(readBack(ParquetAnswer.of(answer), "SELECT typeof(flags), flags, n FROM answer")).containsExactly("VARCHAR", "101", "3");
    }

    private static SqlEngine.Result answer(List<SqlEngine.Column> columns, List<List<Object>> rows) {
        return new SqlEngine.Result(columns, rows, false, List.of(), null, 0, 0);
    }

    private List<String> readBack(byte[] parquet, String query) throws Exception {
        Path file = Files.write(dir.resolve("answer.parquet"), parquet);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
            s.execute("CREATE VIEW answer AS SELECT * FROM read_parquet('" + file + "')");
            try (ResultSet r = s.executeQuery(query)) {
                List<String> values = new ArrayList<>();
                assertThat(r.next()).isTrue();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    values.add(r.getString(i));
                }
                return values;
            }
        }
    }
}
