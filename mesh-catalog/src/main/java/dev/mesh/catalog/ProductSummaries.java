package dev.mesh.catalog;

import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ProductEntry;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Every product of the catalog with its freshness, consumer count and dead letters, measured in one pass. */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class ProductSummaries {
    private final CatalogSnapshots snapshots;
    private final TopicProbe probe;

    ProductSummaries(CatalogSnapshots snapshots, TopicProbe probe) {
        this.snapshots = snapshots;
        this.probe = probe;
    }

    public List<ProductSummary> all() {
        CatalogSnapshot catalog = snapshots.current();
        List<ProductEntry> products = catalog.allProducts().stream().sorted(Comparator.comparing(ProductEntry::topic)).toList();
        List<String> topics = new ArrayList<>();
        products.forEach(p -> {
            topics.add(p.topic());
            topics.add(dlqOf(p));
        });
        Map<String, TopicState> states = probe.probe(topics);
        Instant now = Instant.now();
        return products.stream().map(p -> summary(p, catalog, states.get(p.topic()), states.get(dlqOf(p)), now)).toList();
    }

    public static ProductSummary summary(ProductEntry p, CatalogSnapshot catalog, TopicState topic, TopicState dlq, Instant now) {
        return new ProductSummary(p.product(), p.topic(), p.version(), CatalogSnapshots.domainOf(p), p.description(),
                p.ownerTeam(), p.ownerContact(), p.classification(), p.tags() == null ? List.of() : p.tags(),
                p.isDerived(), Freshness.assess(p, topic, now), catalog.consumersOf(p.topic()).size(),
                dlq == null ? 0 : dlq.records(), pageOf(p, catalog));
    }

    static String dlqOf(ProductEntry p) {
        return p.dlqTopic() != null ? p.dlqTopic() : dev.mesh.sdk.Naming.dlqTopic(p.topic());
    }

    /** The product's page: by id for its latest major, by topic for an older one still in the catalog. */
    public static String pageOf(ProductEntry p, CatalogSnapshot catalog) {
        boolean latest = catalog.latest(p.product()).map(l -> l.topic().equals(p.topic())).orElse(true);
        return "/products/" + (latest ? p.product() : p.topic());
    }
}
