package dev.mesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.sdk.ops.MeshOps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code mesh products}: every product in the catalog, with its freshness against its SLO. Asked of the web catalog
 * when there is one for this mesh ({@code --catalog}, env {@code MESH_CATALOG_URL}, or the local mesh's, which
 * measures in the background), else measured from Kafka; both give the same rows.
 */
@Command(name = "products", mixinStandardHelpOptions = true,
        description = "List every product: id, version, owner, topic, partitions, records, and the age of the newest record against its freshness SLO (breaches marked !).")
final class ProductsCommand implements Callable<Integer> {
    @Mixin
    MarketplaceCommands.CatalogApi api;
    @Spec
    CommandSpec spec;

    /** The rows as {@code --json} prints them, and the catalog entries refused. */
    record Listing(List<Map<String, Object>> rows, List<String> refused) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Output.progress(spec.commandLine().getErr(), "reading the catalog and topics...");
        Listing listing;
        try {
            listing = api.catalogOfThisMesh().flatMap(this::fromCatalog).orElseGet(this::fromKafka);
        } finally {
            Output.progressDone(spec.commandLine().getErr());
        }
        if (api.connection.json) {
            Output.json(out, listing.rows());
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> p : listing.rows()) {
            Object ageSeconds = p.get("ageSeconds");
            String age = ageSeconds == null ? "empty" : Output.duration(Duration.ofSeconds(((Number) ageSeconds).longValue()));
            String slo = p.get("freshnessSlo") == null ? "" : " / " + Output.duration(Duration.parse((String) p.get("freshnessSlo")));
            Object inputLag = p.get("inputLagSeconds");
            long refusedOnRead = ((Number) p.get("refusedOnRead")).longValue();
            rows.add(List.of(p.get("product") + (p.containsKey("successor") ? " (deprecated → " + p.get("successor") + ")" : ""),
                    String.valueOf(p.get("version")), String.valueOf(p.get("owner")), String.valueOf(p.get("topic")),
                    Boolean.TRUE.equals(p.get("topicExists")) ? String.valueOf(p.get("partitions")) : "missing!",
                    String.valueOf(p.get("records")),
                    (Boolean.TRUE.equals(p.get("freshnessBreached")) ? "! " : "") + age + slo
                            + (inputLag == null ? "" : " (app " + Output.duration(Duration.ofSeconds(((Number) inputLag).longValue())) + " behind)"),
                    p.get("deadLetters") + (refusedOnRead > 0 ? " (" + refusedOnRead + " refused on read!)" : ""),
                    String.valueOf(((List<?>) p.get("consumers")).size())));
        }
        Output.table(out, List.of("PRODUCT", "VERSION", "OWNER", "TOPIC", "PARTITIONS", "RECORDS", "NEWEST / SLO", "DLQ", "CONSUMERS"), rows);
        long breached = listing.rows().stream().filter(p -> Boolean.TRUE.equals(p.get("freshnessBreached"))).count();
        if (breached > 0) {
            out.println();
            out.println(breached + " product(s) breach their freshness SLO (marked !)");
        }
        long corrupt = listing.rows().stream().filter(p -> ((Number) p.get("refusedOnRead")).longValue() > 0).count();
        if (corrupt > 0) {
            out.println();
            out.println(corrupt + " product(s) hold records their readers refused on read (undecodable or outside their"
                    + " contract): their owners wrote what they should not; mesh dlq <product> shows them");
        }
        if (!listing.refused().isEmpty()) {
            out.println();
            out.println(listing.refused().size() + " catalog entr" + (listing.refused().size() == 1 ? "y" : "ies")
                    + " refused (a domain wrote what only another may say; not shown above):");
            listing.refused().forEach(r -> out.println("  " + r));
        }
        return 0;
    }

    private Listing fromKafka() {
        try (MeshOps ops = api.connection.ops()) {
            dev.mesh.sdk.catalog.CatalogSnapshot catalog = ops.catalog();
            Instant now = Instant.now();
            return new Listing(ops.products(catalog).stream().map(p -> p.row(now)).toList(), catalog.refused());
        }
    }

    /** The catalog's answer, or empty when it cannot be reached (then Kafka is asked). */
    private Optional<Listing> fromCatalog(String url) {
        Optional<JsonNode> answer = api.reachable(url, "/api/ops/products");
        if (answer.isPresent() && !(answer.get().path("products").isArray() && answer.get().path("refused").isArray())) {
            throw new IllegalStateException("the catalog at " + url + " answered no product list: is it this mesh's catalog (--catalog)?");
        }
        return answer.map(a -> new Listing(
                Output.JSON.convertValue(a.get("products"), new com.fasterxml.jackson.core.type.TypeReference<List<Map<String, Object>>>() { }),
                Output.JSON.convertValue(a.get("refused"), new com.fasterxml.jackson.core.type.TypeReference<List<String>>() { })));
    }
}
