package dev.mesh.catalog;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ConsumerEntry;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.ops.ConsumerLag;
import dev.mesh.sdk.ops.MeshOps;
import dev.mesh.sdk.registry.RegisteredSchema;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Puts a product's page together from the catalog, the cluster and the registry; what is missing is said, not thrown. */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class ProductDetails {
    private static final Logger log = LoggerFactory.getLogger(ProductDetails.class);

    private final Mesh mesh;
    private final MeshOps ops;
    private final CatalogSnapshots snapshots;
    private final TopicProbe probe;
    private final SchemaSource schemas;

    ProductDetails(Mesh mesh, MeshOps ops, CatalogSnapshots snapshots, TopicProbe probe, SchemaSource schemas) {
        this.mesh = mesh;
        this.ops = ops;
        this.snapshots = snapshots;
        this.probe = probe;
        this.schemas = schemas;
    }

    public ProductPage page(String idOrTopic) {
        CatalogSnapshot catalog = snapshots.current();
        ProductEntry p = snapshots.product(idOrTopic);
        String dlq = ProductSummaries.dlqOf(p);
        Map<String, TopicState> states = probe.probe(List.of(p.topic(), dlq));
        TopicState topic = states.get(p.topic());
        TopicState dlqState = states.get(dlq);
        List<ProductPage.DeadLetterQueueView> queues = deadLetterQueues(p, catalog);
        List<String> missing = new ArrayList<>();
        if (!topic.exists()) {
            missing.add("topic " + p.topic() + " does not exist in the Kafka cluster");
        }
        Optional<RegisteredSchema> latest = schemas.latest(p.subject());
        if (latest.isEmpty()) {
            missing.add("subject " + p.subject() + " has no schema in the registry");
        }
        Schema schema = latest.map(schemas::parse).orElseGet(() -> schemas.schemaOf(p).orElse(null));
        ProductPage.SchemaView schemaView = schema == null ? null : new ProductPage.SchemaView(p.subject(),
                latest.map(RegisteredSchema::version).orElse(0), latest.map(RegisteredSchema::id).orElse(p.schemaId() == null ? 0 : p.schemaId()),
                latest.map(ProductDetails::contractVersion).orElse(null), schema.getFullName(), schema.getDoc(), SchemaFields.of(schema));
        return new ProductPage(p.product(), p.topic(), p.subject(), dlq, p.version(), p.major(), CatalogSnapshots.domainOf(p),
                p.description(), new ProductPage.Owner(p.ownerTeam(), p.ownerContact()), p.keyField(), p.classification(),
                p.tags() == null ? List.of() : p.tags(), p.compatibility(),
                new ProductPage.Slo(p.freshness(), p.availability()),
                new ProductPage.TopicSettings(p.partitions(), p.retention(), p.cleanupPolicy()),
                p.quality() == null ? List.of() : p.quality(),
                (p.inputs() == null ? List.<String>of() : p.inputs()).stream().map(t -> link(t, catalog)).toList(),
                catalog.downstreamOf(p.topic()).stream().map(d -> link(d.topic(), catalog)).toList(),
                p.publisherApp(), p.streamsApplicationId(), p.updatedAt(), missing,
                new ProductPage.Status(topic.exists(), topic.partitions(), topic.records(),
                        Freshness.assess(p, topic, Instant.now(), inputLag(p)), dlqState.exists(),
                        queues.stream().mapToLong(ProductPage.DeadLetterQueueView::records).sum(),
                        queues.stream().mapToLong(ProductPage.DeadLetterQueueView::refusedOnRead).sum(), queues),
                schemaView, versions(p.subject()), consumers(p, catalog, topic.exists()), howToConsume(p, schema),
                p.isDeprecated() ? p.deprecation(Instant.now()) : null);
    }

    private static ProductPage.ProductLink link(String topic, CatalogSnapshot catalog) {
        return catalog.product(topic)
                .map(e -> new ProductPage.ProductLink(e.product(), topic, ProductSummaries.pageOf(e, catalog), true))
                .orElse(new ProductPage.ProductLink(null, topic, null, false));
    }

    public List<ProductPage.VersionInfo> versions(String subject) {
        List<ProductPage.VersionInfo> out = new ArrayList<>();
        for (int v : schemas.versions(subject)) {
            schemas.version(subject, v).ifPresent(r -> out.add(new ProductPage.VersionInfo(v, r.id(), contractVersion(r))));
        }
        return out;
    }

    static String contractVersion(RegisteredSchema r) {
        return r.metadata() == null || r.metadata().properties() == null ? null : r.metadata().properties().get("version");
    }

    /** Every queue holding the product's dead letters, with who refused them there and how many. */
    private List<ProductPage.DeadLetterQueueView> deadLetterQueues(ProductEntry p, CatalogSnapshot catalog) {
        try {
            return ops.deadLetterTallies(p, catalog).entrySet().stream().map(e -> new ProductPage.DeadLetterQueueView(
                    e.getKey().topic(), e.getKey().refusedBy(), e.getValue().deadLetters(), e.getValue().refusedOnRead())).toList();
        } catch (RuntimeException e) {
            log.warn("dead letters of {} unknown: {}", p.topic(), e.getMessage());
            return List.of();
        }
    }

    private Optional<Duration> inputLag(ProductEntry p) {
        if (p.streamsApplicationId() == null) {
            return Optional.empty();
        }
        try {
            return MeshOps.inputLag(p, ops.lag(Optional.of(p.streamsApplicationId())));
        } catch (RuntimeException e) {
            log.warn("input lag of {} unknown: {}", p.streamsApplicationId(), e.getMessage());
            return Optional.empty();
        }
    }

    private List<ProductPage.ConsumerView> consumers(ProductEntry p, CatalogSnapshot catalog, boolean topicExists) {
        List<ConsumerEntry> entries = catalog.consumersOf(p.topic());
        List<ConsumerLag> lags = List.of();
        if (topicExists && !entries.isEmpty()) {
            try {
                lags = ops.consumersOf(p, catalog);
            } catch (MeshException e) {
                log.warn("lag of the consumers of {} unknown: {}", p.topic(), e.getMessage());
            }
        }
        List<ProductPage.ConsumerView> out = new ArrayList<>();
        for (ConsumerEntry c : entries) {
            // A group that has committed nothing on the topic has no lag to tell, which is not a lag of zero.
            Optional<ConsumerLag> lag = lags.stream().filter(l -> l.group().equals(c.group()) && !l.partitions().isEmpty()).findFirst();
            out.add(new ProductPage.ConsumerView(c.group(), c.app(), c.kind(),
                    lag.map(ConsumerLag::records).orElse(null),
                    lag.flatMap(ConsumerLag::timeLag).map(Duration::toSeconds).orElse(null)));
        }
        return out;
    }

    private ProductPage.HowToConsume howToConsume(ProductEntry p, Schema schema) {
        String bootstrap = String.valueOf(mesh.kafkaProperties().get("bootstrap.servers"));
        String registry = String.join(",", mesh.registry().config().urls());
        return new ProductPage.HowToConsume(p.topic(), p.subject(), bootstrap, registry,
                ConsumeSnippets.sdk(p, schema, bootstrap, registry), ConsumeSnippets.kcat(p, bootstrap, registry));
    }
}
