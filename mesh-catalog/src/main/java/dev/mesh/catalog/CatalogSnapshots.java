package dev.mesh.catalog;

import dev.mesh.sdk.catalog.Catalog;
import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.kafka.FollowedTopics;
import dev.mesh.sdk.ops.MeshOps;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * The catalog topics as followed since the service started: a request reads the catalog as of the last poll and
 * never waits for Kafka (a page asks the API four times; reading the topics per request made every request wait
 * on the one reading them).
 */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class CatalogSnapshots {
    private final FollowedTopics<CatalogSnapshot> catalog;

    CatalogSnapshots(MeshOps ops) {
        this.catalog = Catalog.follow(ops.mesh().kafkaProperties());
    }

    public CatalogSnapshot current() {
        return catalog.current();
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

    @PreDestroy
    void close() {
        catalog.close();
    }
}
