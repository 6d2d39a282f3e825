package dev.mesh.catalog.sql;

import org.duckdb.DuckDBStruct;

import java.sql.Array;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** DuckDB's JDBC values as plain Java that JSON writes as people expect: numbers, text, ISO-8601 instants, lists, maps. */
final class SqlValues {
    private SqlValues() {
    }

    static Object plain(Object value) throws SQLException {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant().toString();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime().toString();
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (value instanceof TemporalAccessor || value instanceof UUID) {
            return value.toString();
        }
        if (value instanceof DuckDBStruct struct) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : struct.getMap().entrySet()) {
                out.put(e.getKey(), plain(e.getValue()));
            }
            return out;
        }
        if (value instanceof Array array) {
            List<Object> out = new ArrayList<>();
            for (Object item : (Object[]) array.getArray()) {
                out.add(plain(item));
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(String.valueOf(e.getKey()), plain(e.getValue()));
            }
            return out;
        }
        return value.toString();
    }
}
