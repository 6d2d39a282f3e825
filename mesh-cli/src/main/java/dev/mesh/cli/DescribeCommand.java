package dev.mesh.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.ops.MeshOps;
import dev.mesh.sdk.ops.ProductDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code mesh describe <product>}: contract, schema versions, inputs and consumers with their lag. Asked of this
 * mesh's web catalog when there is one (as {@code mesh products}), else measured from Kafka; both give the same document.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show a product's contract, schema versions, inputs (upstream) and consumers (downstream) with their lag.")
final class DescribeCommand implements Callable<Integer> {
    private static final TypeReference<Map<String, Object>> DOCUMENT = new TypeReference<>() { };
    @Mixin
    MarketplaceCommands.CatalogApi api;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "<product>", description = "Product id (e.g. sales.orders) or topic (sales.orders.v1)")
    String product;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> d = api.catalogOfThisMesh().flatMap(this::fromCatalog).orElseGet(this::fromKafka);
        if (api.connection.json) {
            Output.json(out, d);
            return 0;
        }
        ProductEntry p = Output.JSON.convertValue(d.get("contract"), ProductEntry.class);
        List<Map<String, Object>> consumers = list(d.get("consumers"));
        Instant now = Instant.now();
        out.println(p.product() + " " + p.version() + "  (" + p.topic() + ")");
        out.println("  " + p.description());
        if (p.isDeprecated()) {
            String deprecation = p.deprecation(now);
            out.println("  " + deprecation.toUpperCase(java.util.Locale.ROOT).charAt(0) + deprecation.substring(1) + "; consumers still on it: "
                    + (consumers.isEmpty() ? "none" : String.join(", ", consumers.stream().map(c -> String.valueOf(c.get("group"))).toList())));
        }
        out.println();
        line(out, "owner", p.ownerTeam() + " <" + p.ownerContact() + ">");
        line(out, "key", p.keyField());
        line(out, "classification", p.classification());
        line(out, "tags", p.tags() == null ? "" : String.join(", ", p.tags()));
        line(out, "topic", p.topic() + ", " + p.partitions() + " partitions, " + p.cleanupPolicy()
                + (p.retention() == null ? "" : ", retention " + p.retention()));
        line(out, "subject", p.subject() + ", versions " + d.get("schemaVersions") + ", compatibility " + p.compatibility());
        line(out, "freshness SLO", (p.freshness() == null ? "none" : p.freshness())
                + (Boolean.TRUE.equals(d.get("stale")) ? "  ! STALE" : "")
                + seconds(d.get("newestAgeSeconds")).map(age -> ", newest record " + Output.duration(age) + " old").orElse(", no records")
                + seconds(d.get("inputLagSeconds")).map(l -> ", its streams app is " + Output.duration(l) + " behind on its inputs").orElse(""));
        line(out, "DLQ", p.dlqTopic() + " (" + d.get("deadLetters") + " dead letter(s) in all its queues; mesh dlq lists them)");
        long refusedOnRead = ((Number) d.get("refusedOnRead")).longValue();
        if (refusedOnRead > 0) {
            line(out, "integrity", "! " + refusedOnRead + " record(s) of the topic refused by its readers on read"
                    + " (undecodable or outside its contract): " + p.ownerTeam() + " wrote what it should not");
        }
        line(out, "published by", p.streamsApplicationId() != null ? p.publisherApp() + " (streams app " + p.streamsApplicationId() + ")" : p.publisherApp());
        if (p.quality() != null && !p.quality().isEmpty()) {
            out.println();
            out.println("quality rules:");
            p.quality().forEach(r -> out.println("  " + r.name() + ": " + r.expr() + "  (on failure " + r.onFailure() + ")"));
        }
        List<String> downstream = Output.JSON.convertValue(d.get("downstream"), new TypeReference<List<String>>() { });
        out.println();
        out.println("inputs (upstream): " + (p.inputs() == null || p.inputs().isEmpty() ? "none (published)" : String.join(", ", p.inputs())));
        out.println("derived products (downstream): " + (downstream.isEmpty() ? "none" : String.join(", ", downstream)));
        out.println();
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> c : consumers) {
            rows.add(List.of(String.valueOf(c.get("group")), String.valueOf(c.get("lag")),
                    Output.duration(Duration.ofSeconds(((Number) c.get("timeLagSeconds")).longValue()))));
        }
        out.println("consumers:");
        Output.table(out, List.of("GROUP", "LAG", "TIME LAG"), rows);
        return 0;
    }

    private Map<String, Object> fromKafka() {
        try (MeshOps ops = api.connection.ops()) {
            CatalogSnapshot catalog = ops.catalog();
            // as the catalog's answer would be: one document, whichever way it was measured
            return Output.JSON.convertValue(ProductDescription.measure(ops, catalog, ops.product(catalog, product)), DOCUMENT);
        }
    }

    /** The catalog's answer, or empty when it cannot be reached or does not answer this principal. */
    private Optional<Map<String, Object>> fromCatalog(String url) {
        Optional<JsonNode> answer = api.reachable(url, "/api/ops/products/" + URLEncoder.encode(product, StandardCharsets.UTF_8));
        if (answer.isPresent() && !(answer.get().path("contract").isObject() && answer.get().path("consumers").isArray())) {
            throw new IllegalStateException("the catalog at " + url + " answered no product description: is it this mesh's catalog (--catalog)?");
        }
        return answer.map(a -> Output.JSON.convertValue(a, DOCUMENT));
    }

    private static Optional<Duration> seconds(Object value) {
        return value == null ? Optional.empty() : Optional.of(Duration.ofSeconds(((Number) value).longValue()));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    private static void line(PrintWriter out, String name, String value) {
        out.printf("  %-15s %s%n", name, value);
    }
}
