package dev.mesh.sdk.ops;

import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.contract.Naming;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code mesh describe} shows of a product, as one document ({@code --json} prints it): its catalog entry, schema
 * versions, inputs, consumers with their lag, derived products, freshness, dead letters and their queues. Measured
 * from Kafka by the CLI, or by the catalog from what it keeps measured; printed alike.
 */
public final class ProductDescription {
    private ProductDescription() {
    }

    /** Measured now from Kafka and the registry, as the caller. */
    public static Map<String, Object> measure(MeshOps ops, CatalogSnapshot catalog, ProductEntry p) {
        List<ConsumerLag> consumers = ops.consumersOf(p, catalog);
        List<ConsumerLag> lags = new ArrayList<>(consumers);
        if (p.streamsApplicationId() != null) {
            lags.addAll(ops.lag(Optional.of(p.streamsApplicationId())));
        }
        return of(p, ops.mesh().registry().versions(Naming.valueSubject(p.topic())), consumers, catalog,
                ops.status(p, lags, catalog), ops.deadLetterQueues(p, catalog), Instant.now());
    }

    public static Map<String, Object> of(ProductEntry p, List<Integer> versions, List<ConsumerLag> consumers, CatalogSnapshot catalog,
                                         ProductStatus status, List<DeadLetterQueue> queues, Instant now) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("contract", p);
        json.put("schemaVersions", versions);
        json.put("inputs", p.inputs() == null ? List.of() : p.inputs());
        json.put("consumers", consumers.stream().map(c -> Map.of("group", c.group(), "lag", c.records(),
                "timeLagSeconds", c.timeLag().map(Duration::getSeconds).orElse(0L))).toList());
        json.put("downstream", catalog.downstreamOf(p.topic()).stream().map(ProductEntry::topic).toList());
        json.put("stale", status.freshnessBreached());
        json.put("newestAgeSeconds", status.age(now).map(Duration::getSeconds).orElse(null));
        json.put("inputLagSeconds", status.inputLag().map(Duration::getSeconds).orElse(null));
        json.put("deadLetters", status.deadLetters());
        json.put("refusedOnRead", status.refusedOnRead());
        json.put("deadLetterQueues", queues);
        return json;
    }
}
