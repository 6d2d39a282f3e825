package dev.mesh.catalog.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A query as DuckDB's own parser reads it ({@code json_serialize_sql}): exactly one SELECT (DuckDB serializes nothing
 * else, so COPY, ATTACH, INSTALL, LOAD, SET, PRAGMA and every write are refused before anything runs), the tables
 * it names, and no table function (read_csv, read_parquet, glob, ...): a query reads products, nothing else. Nor a
 * function that makes a value of any size from a number ({@link #UNBOUNDED}).
 */
record SqlStatement(String sql, List<TableRef> tables) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a product's schema and table names are made of: anything else would be a file or another source. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /**
     * Functions that build a value as large as a number in the query says, from nothing: DuckDB's memory limit covers
     * its buffers, not the strings and lists an expression makes, and one such call (range(300000000)) took 15 GB and
     * did not stop at the timeout, as DuckDB checks for it between vectors, not inside a function.
     */
    private static final Set<String> UNBOUNDED = Set.of("range", "generate_series", "repeat", "lpad", "rpad", "printf",
            "format", "list_resize", "array_resize", "bar");

    /** A table the query names: {@code schema.table} as written, and where. */
    record TableRef(String schema, String table, int position) {
        String name() {
            return schema.isEmpty() ? table : schema + "." + table;
        }
    }

    static SqlStatement parse(Connection duck, String sql) {
        if (sql == null || sql.isBlank()) {
            throw SqlException.badQuery("sql: the query is empty");
        }
        JsonNode tree;
        try (PreparedStatement p = duck.prepareStatement("SELECT json_serialize_sql(?)")) {
            p.setString(1, sql);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                tree = JSON.readTree(r.getString(1));
            }
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw SqlException.badQuery("sql: the query nests too deeply to check (" + e.getOriginalMessage() + ")");
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("DuckDB could not parse: " + e.getMessage(), e);
        }
        if (tree.path("error").asBoolean(false)) {
            String message = tree.path("error_message").asText();
            if (message.startsWith("Only SELECT statements")) {
                throw SqlException.badQuery("sql: only SELECT queries run here (and DESCRIBE <product>); a query may not"
                        + " write, copy, attach, install or load extensions, or change settings");
            }
            String at = tree.hasNonNull("position") ? " at position " + tree.path("position").asText() : "";
            throw SqlException.badQuery("sql: " + message + at);
        }
        JsonNode statements = tree.path("statements");
        if (statements.size() != 1) {
            throw SqlException.badQuery("sql: one query at a time (found " + statements.size() + " statements)");
        }
        Map<String, TableRef> tables = new LinkedHashMap<>();
        walk(statements.get(0), Set.of(), tables);
        return new SqlStatement(sql, List.copyOf(tables.values()));
    }

    /**
     * Collects the products {@code node} names. A name is a CTE only where that CTE is in scope (the query that defines
     * it and what it holds): elsewhere DuckDB would not take it for the CTE but look for a table, or for a file.
     */
    private static void walk(JsonNode node, Set<String> ctes, Map<String, TableRef> tables) {
        if (node.isObject()) {
            Set<String> scope = new HashSet<>(ctes);
            node.path("cte_map").path("map").forEach(entry -> scope.add(entry.path("key").asText().toLowerCase()));
            String type = node.path("type").asText("");
            if (type.equals("TABLE_FUNCTION")) {
                throw SqlException.badQuery("sql: table function " + node.path("function").path("function_name").asText("?")
                        + " at position " + node.path("query_location").asLong() + " is not available: a query reads the mesh's"
                        + " products (domain.product), not files, URLs or other sources");
            }
            if (type.equals("FUNCTION") && UNBOUNDED.contains(node.path("function_name").asText("").toLowerCase())) {
                throw SqlException.badQuery("sql: function " + node.path("function_name").asText() + " at position "
                        + node.path("query_location").asLong() + " is not available: it builds values of any size, beyond"
                        + " the memory a query may take");
            }
            if (type.equals("BASE_TABLE")) {
                if (!node.path("catalog_name").asText("").isEmpty()) {
                    throw SqlException.badQuery("sql: " + node.path("catalog_name").asText() + "." + node.path("schema_name").asText()
                            + "." + node.path("table_name").asText() + ": products are named domain.product, without a catalog");
                }
                TableRef ref = new TableRef(node.path("schema_name").asText(""), node.path("table_name").asText(""),
                        node.path("query_location").asInt(0));
                if (!ref.schema().isEmpty() && !NAME.matcher(ref.schema()).matches() || !NAME.matcher(ref.table()).matches()) {
                    // a name such as 'x.parquet' or "/tmp/x.csv" DuckDB would read as a file
                    throw SqlException.badQuery("sql: no product table '" + ref.name() + "' (position " + ref.position()
                            + "): products are named domain.product in letters, digits and '_', e.g. sales.orders");
                }
                if (!(ref.schema().isEmpty() && scope.contains(ref.table().toLowerCase()))) {
                    tables.putIfAbsent(ref.name().toLowerCase(), ref);
                }
            }
            node.forEach(child -> walk(child, scope, tables));
        } else if (node.isArray()) {
            node.forEach(child -> walk(child, ctes, tables));
        }
    }
}
