package dev.mesh.sdk.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog at one moment: every product by topic, every consumer, and the entries refused because a domain's
 * catalog topic said something only another domain may say (reported, never shown as facts).
 */
public record CatalogSnapshot(Map<String, ProductEntry> products, List<ConsumerEntry> consumers, List<String> refused) {

    public CatalogSnapshot(Map<String, ProductEntry> products, List<ConsumerEntry> consumers) {
        this(products, consumers, List.of());
    }

    public Collection<ProductEntry> allProducts() {
        return products.values();
    }

    public Optional<ProductEntry> product(String topic) {
        return Optional.ofNullable(products.get(topic));
    }

    /** Latest major of a product id such as {@code sales.orders}. */
    public Optional<ProductEntry> latest(String productId) {
        return products.values().stream().filter(p -> p.product().equals(productId))
                .max(java.util.Comparator.comparingInt(ProductEntry::major));
    }

    /**
     * How the CLI and the catalog name a product: the latest major by its id ({@code sales.orders}), an older major
     * still in the catalog by its topic ({@code sales.orders.v1}).
     */
    public String nameOf(ProductEntry p) {
        boolean latest = latest(p.product()).map(l -> l.topic().equals(p.topic())).orElse(true);
        return latest ? p.product() : p.topic();
    }

    public List<ConsumerEntry> consumersOf(String topic) {
        return consumers.stream().filter(c -> c.topic().equals(topic)).toList();
    }

    /** Products built from this one. */
    public List<ProductEntry> downstreamOf(String topic) {
        return products.values().stream().filter(p -> p.inputs() != null && p.inputs().contains(topic)).toList();
    }

    /** Products this one is built from, as far as the catalog knows them. */
    public List<ProductEntry> upstreamOf(String topic) {
        return product(topic).map(p -> p.inputs() == null ? List.<ProductEntry>of()
                : p.inputs().stream().map(products::get).filter(java.util.Objects::nonNull).toList()).orElse(List.of());
    }
}
