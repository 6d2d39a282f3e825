package dev.mesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.ops.MeshOps;
import dev.mesh.sdk.ops.RedriveReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code mesh dlq <product> [--redrive]}: dead letters waiting (asked of this mesh's catalog when there is one and it
 * answers this principal, the product's owner or an admin; else read from Kafka), and redriving them after a contract
 * fix (always as the caller, against Kafka).
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = {"Show a product's dead-lettered records, wherever they were refused: by its publisher (waiting"
                + " for a redrive), by a consumer group or by a Streams app that reads it; with rule, reason, origin.",
                "With --redrive: re-validate those its publisher refused against the contract registered now; republish those that pass to their",
                "origin topic (with __redrive.* provenance headers) and put those that still fail back, with the new reason."})
final class DlqCommand implements Callable<Integer> {
    @Mixin
    MarketplaceCommands.CatalogApi api;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "<product>")
    String product;
    @Option(names = "--redrive", description = "Republish the dead letters that now pass")
    boolean redrive;
    @Option(names = {"-n", "--max"}, description = "Show at most N records (default 50)")
    int limit = 50;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!redrive) {
            return show(out, api.catalogOfThisMesh().flatMap(this::fromCatalog).orElseGet(this::fromKafka));
        }
        Connection connection = api.connection;
        try (MeshOps ops = connection.ops()) {
            ProductEntry p = ops.product(ops.catalog(), product);
            RedriveReport report = ops.redrive(p);
            // where each republished record was read: the product's own DLQ, partition and offset
            Audit.tell(connection, "dlq.redrive", p.topic(), Map.of("dlq", report.dlqTopic(),
                    "republished", report.republished().size(), "stillFailing", report.stillFailing().size(),
                    "records", report.republished().stream().map(d -> d.dlqTopic() + "-" + d.partition() + "@" + d.offset()
                            + " -> " + p.topic()).toList()),
                    spec.commandLine().getErr());
            if (connection.json) {
                Output.json(out, report);
            } else {
                out.println("republished " + report.republished().size() + " record(s) from " + report.dlqTopic());
                report.republished().forEach(d -> out.println("  + " + d.key() + " -> " + d.originTopic()));
                out.println("still failing: " + report.stillFailing().size());
                report.stillFailing().forEach(f -> out.println("  ! " + f.record().key() + ": rule " + f.rule() + ": " + f.reason()));
            }
            return report.stillFailing().isEmpty() ? 0 : 3;
        }
    }

    /** The product's queues and dead letters, as {@code --json} prints them. */
    private int show(PrintWriter out, JsonNode listing) {
        if (api.connection.json) {
            Output.json(out, listing);
            return 0;
        }
        for (JsonNode q : listing.path("queues")) {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode d : listing.path("records")) {
                if (d.path("dlqTopic").asText().equals(q.path("topic").asText())) {
                    rows.add(List.of(d.path("offset").asText(), d.path("key").asText(""), d.path("rule").asText(""),
                            d.path("reason").asText(""), d.path("originTopic").asText(), d.path("value").toString()));
                }
            }
            out.println(q.path("topic").asText() + " (refused by " + q.path("refusedBy").asText() + "): " + rows.size() + " record(s)"
                    + (q.path("publisher").asBoolean() ? " waiting for a redrive" : ""));
            if (!rows.isEmpty()) {
                Output.table(out, List.of("OFFSET", "KEY", "RULE", "REASON", "ORIGIN", "VALUE"), rows);
            }
        }
        return 0;
    }

    private JsonNode fromKafka() {
        try (MeshOps ops = api.connection.ops()) {
            CatalogSnapshot catalog = ops.catalog();
            ProductEntry p = ops.product(catalog, product);
            return Output.JSON.valueToTree(Map.of("dlqTopic", p.dlqTopic(), "queues", ops.deadLetterQueues(p, catalog),
                    "records", ops.deadLetters(p, catalog, limit)));
        }
    }

    /** The catalog's answer, or empty when it cannot be reached or does not answer this principal (not the owner). */
    private Optional<JsonNode> fromCatalog(String url) {
        Optional<JsonNode> answer = api.reachable(url, "/api/ops/products/" + URLEncoder.encode(product, StandardCharsets.UTF_8)
                + "/dlq?limit=" + limit);
        if (answer.isPresent() && !(answer.get().path("queues").isArray() && answer.get().path("records").isArray())) {
            throw new IllegalStateException("the catalog at " + url + " answered no dead letters: is it this mesh's catalog (--catalog)?");
        }
        return answer;
    }
}
