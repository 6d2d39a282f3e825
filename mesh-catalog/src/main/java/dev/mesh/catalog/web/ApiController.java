package dev.mesh.catalog.web;

import dev.mesh.catalog.CatalogApplication;
import dev.mesh.catalog.CatalogSnapshots;
import dev.mesh.catalog.DomainDirectory;
import dev.mesh.catalog.LineageGraph;
import dev.mesh.catalog.ProductActivity;
import dev.mesh.catalog.ProductDetails;
import dev.mesh.catalog.ProductSearch;
import dev.mesh.catalog.RecentRecords;
import dev.mesh.catalog.SchemaComparison;
import dev.mesh.catalog.SearchQuery;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import dev.mesh.sdk.ops.MeshOps;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** The catalog as JSON, for its own pages and for other tools; docs/guides/platform.md, "Catalog API", documents it. */
@Requires(env = CatalogApplication.ENV)
@Controller("/api")
@ExecuteOn(TaskExecutors.BLOCKING)
final class ApiController {
    private static final int MAX_DEAD_LETTERS = 1_000;
    private final CatalogSnapshots snapshots;
    private final ProductSearch search;
    private final ProductDetails details;
    private final RecentRecords records;
    private final SchemaComparison comparison;
    private final ProductActivity activity;
    private final DomainDirectory domains;
    private final MeshOps ops;
    private final dev.mesh.catalog.ProductSummaries summaries;
    private final dev.mesh.catalog.lineage.ReportedJobs reported;
    private final String lineageNamespace;

    ApiController(CatalogSnapshots snapshots, ProductSearch search, ProductDetails details, RecentRecords records,
                  SchemaComparison comparison, ProductActivity activity, DomainDirectory domains, MeshOps ops,
                  dev.mesh.catalog.ProductSummaries summaries, dev.mesh.catalog.lineage.ReportedJobs reported,
                  @io.micronaut.context.annotation.Property(name = "openlineage.job.namespace", defaultValue = "mesh") String lineageNamespace) {
        this.reported = reported;
        this.lineageNamespace = lineageNamespace;
        this.ops = ops;
        this.summaries = summaries;
        this.snapshots = snapshots;
        this.search = search;
        this.details = details;
        this.records = records;
        this.comparison = comparison;
        this.activity = activity;
        this.domains = domains;
    }

    @Get("/products{?domain,classification,tag}")
    HttpResponse<String> products(@Nullable String domain, @Nullable String classification, @Nullable String tag) {
        SearchQuery filter = new SearchQuery(null, domain, classification, tag);
        return Json.ok(search.search(filter).results().stream().map(r -> r.product()).toList());
    }

    /** What {@code mesh products} prints, as the catalog keeps it measured: the CLI asks this instead of Kafka. */
    @Get("/ops/products")
    HttpResponse<String> opsProducts() {
        java.time.Instant now = java.time.Instant.now();
        return Json.ok(java.util.Map.of("products", summaries.statuses().stream().map(s -> s.row(now)).toList(),
                "refused", summaries.refused()));
    }

    /** What {@code mesh describe} prints of a product, as the catalog keeps it measured (its page shows as much). */
    @Get("/ops/products/{id}")
    HttpResponse<String> opsProduct(String id) {
        return Json.ok(summaries.description(snapshots.product(id)));
    }

    /**
     * What {@code mesh dlq} prints of a product: its dead letters in every queue (at most {@code limit} from each,
     * PII masked), for its owner and admins.
     */
    @Get("/ops/products/{id}/dlq{?limit}")
    HttpResponse<String> opsDeadLetters(String id, @QueryValue(defaultValue = "50") int limit) {
        if (limit < 1 || limit > MAX_DEAD_LETTERS) {
            return Json.error(HttpStatus.BAD_REQUEST, "limit " + limit + " is out of range", "ask for 1 to " + MAX_DEAD_LETTERS + " per queue");
        }
        var p = snapshots.product(id);
        var catalog = snapshots.current();
        return Json.ok(java.util.Map.of("dlqTopic", p.dlqTopic(), "queues", ops.deadLetterQueues(p, catalog),
                "records", ops.deadLetters(p, catalog, limit)));
    }

    /** What {@code mesh lag} prints, every group's, for admins (the pages show a product's consumers to its viewers). */
    @Get("/ops/lag")
    HttpResponse<String> opsLag() {
        return Json.ok(summaries.lags().stream().map(dev.mesh.sdk.ops.ConsumerLag::row).toList());
    }

    @Get("/search{?q,domain,classification,tag}")
    HttpResponse<String> search(@Nullable String q, @Nullable String domain, @Nullable String classification, @Nullable String tag) {
        return Json.ok(search.search(new SearchQuery(q, domain, classification, tag)));
    }

    @Get("/products/{id}")
    HttpResponse<String> product(String id) {
        return Json.ok(details.page(id));
    }

    @Get("/products/{id}/records{?limit}")
    HttpResponse<String> records(String id, @QueryValue(defaultValue = "10") int limit) {
        return Json.ok(records.read(id, limit));
    }

    @Get("/products/{id}/schema{?from,to}")
    HttpResponse<String> schema(String id, @Nullable Integer from, @Nullable Integer to) {
        return Json.ok(comparison.compare(id, from, to));
    }

    @Get("/products/{id}/throughput")
    HttpResponse<String> throughput(String id) {
        return Json.ok(activity.throughput(id));
    }

    @Get("/products/{id}/quality")
    HttpResponse<String> quality(String id) {
        return Json.ok(activity.quality(id));
    }

    /** The impact report of a proposed schema (the body, an Avro schema) for the product, as {@code mesh impact}. */
    @Post(value = "/products/{id}/impact", consumes = {MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    HttpResponse<String> impact(String id, @Body String schema) {
        org.apache.avro.Schema proposed;
        try {
            proposed = new org.apache.avro.Schema.Parser().parse(schema);
        } catch (org.apache.avro.AvroRuntimeException | NullPointerException e) {
            return Json.error(HttpStatus.BAD_REQUEST, "the body is not an Avro schema: " + (e.getMessage() == null ? "empty" : e.getMessage()),
                    "POST the proposed .avsc as the body");
        }
        var catalog = snapshots.current();
        try {
            return Json.ok(ops.impact(snapshots.product(id), proposed, catalog).asJson());
        } catch (dev.mesh.sdk.registry.SchemaRegistryException e) {
            if (e.status() >= 400 && e.status() < 500) {
                return Json.error(HttpStatus.BAD_REQUEST, "the registry refused the proposal: " + e.getMessage(), null);
            }
            throw e;
        }
    }

    @Get("/lineage")
    HttpResponse<String> lineage() {
        return Json.ok(LineageGraph.wholeMesh(snapshots.current(), reported.all(), lineageNamespace));
    }

    @Get("/lineage/{id}")
    HttpResponse<String> lineage(String id) {
        return Json.ok(LineageGraph.of(snapshots.current(), snapshots.product(id).topic(), reported.all(), lineageNamespace));
    }

    @Get("/domains")
    HttpResponse<String> domains() {
        return Json.ok(domains.domains());
    }
}
