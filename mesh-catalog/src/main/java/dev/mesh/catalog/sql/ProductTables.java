package dev.mesh.catalog.sql;

import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.contract.loader.ClosestName;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Products as SQL tables: the domain is the schema, the product the table, hyphens as underscores
 * ({@code finance.order_settlements}); the latest major by default, a major by name ({@code sales.orders_v1}); its
 * dead letters, from every DLQ that refused its records, with {@code _dlq} ({@code sales.orders_dlq}).
 */
final class ProductTables {
    private final Map<String, ProductEntry> byTable = new LinkedHashMap<>();

    ProductTables(CatalogSnapshot catalog) {
        catalog.allProducts().stream().sorted(Comparator.comparing(ProductEntry::product).thenComparing(ProductEntry::major))
                .forEach(p -> {
                    byTable.put(major(p), p);
                    byTable.put(latest(p), p); // later majors come later: the latest wins
                });
    }

    /** {@code sales.orders} for the product's latest major. */
    static String latest(ProductEntry p) {
        return p.product().replace('-', '_');
    }

    /** {@code sales.orders_v1}. */
    static String major(ProductEntry p) {
        return latest(p) + "_v" + p.major();
    }

    Optional<ProductEntry> find(SqlStatement.TableRef ref) {
        return Optional.ofNullable(byTable.get(ref.name().toLowerCase(Locale.ROOT)));
    }

    static final String DEAD_LETTERS = "_dlq";

    /** A product a query names, or its dead letters. */
    record Table(ProductEntry product, boolean deadLetters) {
    }

    Table resolve(SqlStatement.TableRef ref) {
        String name = ref.name().toLowerCase(Locale.ROOT);
        if (name.endsWith(DEAD_LETTERS)) {
            ProductEntry p = byTable.get(name.substring(0, name.length() - DEAD_LETTERS.length()));
            if (p != null) {
                return new Table(p, true);
            }
        }
        return new Table(product(ref), false);
    }

    private ProductEntry product(SqlStatement.TableRef ref) {
        return find(ref).orElseThrow(() -> SqlException.badQuery("sql: no product table '" + ref.name() + "' (position "
                + ref.position() + ")" + ClosestName.among(ref.name(), byTable.keySet()).map(n -> "; did you mean " + n + "?")
                .orElse("; products are domain.product with '_' for '-', e.g. " + byTable.keySet().stream().findFirst().orElse("sales.orders"))));
    }
}
