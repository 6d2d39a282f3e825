package dev.mesh.catalog;

import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.ops.MeshOps;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * The {@code _mesh.catalog} topic as last read. Reading it means a consumer and a pass to the topic's end, too
 * much for every request of a page that asks the API four times; a few seconds old is fresh enough.
 */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class CatalogSnapshots {
    private final MeshOps ops;
    private final Duration refresh;
    private CatalogSnapshot snapshot;
    private long readAt;

    CatalogSnapshots(MeshOps ops, @Value("${catalog.refresh:2s}") Duration refresh) {
        this.ops = ops;
        this.refresh = refresh;
    }

    public synchronized CatalogSnapshot current() {
        if (snapshot == null || System.nanoTime() - readAt > refresh.toNanos()) {
            snapshot = ops.catalog();
            readAt = System.nanoTime();
        }
        return snapshot;
    }

    /** A product by id ({@code sales.orders}: its latest major) or by topic ({@code sales.orders.v1}). */
    public ProductEntry product(String idOrTopic) {
        CatalogSnapshot catalog = current();
        return catalog.product(idOrTopic).or(() -> catalog.latest(idOrTopic))
                .orElseThrow(() -> new ProductNotFoundException(idOrTopic));
    }

    public static String domainOf(ProductEntry p) {
        int dot = p.product().indexOf('.');
        return dot < 0 ? p.product() : p.product().substring(0, dot);
    }
}
