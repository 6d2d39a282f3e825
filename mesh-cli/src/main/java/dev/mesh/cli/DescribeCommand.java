package dev.mesh.cli;

import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.ops.ConsumerLag;
import dev.mesh.sdk.ops.ProductStatus;
import dev.mesh.sdk.ops.MeshOps;
import dev.mesh.sdk.contract.Naming;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mesh describe <product>}: contract, schema versions, inputs and consumers with their lag. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show a product's contract, schema versions, inputs (upstream) and consumers (downstream) with their lag.")
final class DescribeCommand implements Callable<Integer> {
    @Mixin
    Connection connection;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "<product>", description = "Product id (e.g. sales.orders) or topic (sales.orders.v1)")
    String product;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (MeshOps ops = connection.ops()) {
            CatalogSnapshot catalog = ops.catalog();
            ProductEntry p = ops.product(catalog, product);
            List<Integer> versions = ops.mesh().registry().versions(Naming.valueSubject(p.topic()));
            List<ConsumerLag> consumers = ops.consumersOf(p, catalog);
            List<ProductEntry> downstream = catalog.downstreamOf(p.topic());
            List<ConsumerLag> lags = new ArrayList<>(consumers);
            if (p.streamsApplicationId() != null) {
                lags.addAll(ops.lag(java.util.Optional.of(p.streamsApplicationId())));
            }
            ProductStatus status = ops.status(p, lags, catalog);
            if (connection.json) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("contract", p);
                json.put("schemaVersions", versions);
                json.put("inputs", p.inputs() == null ? List.of() : p.inputs());
                json.put("consumers", consumers.stream().map(c -> Map.of("group", c.group(), "lag", c.records(),
                        "timeLagSeconds", c.timeLag().map(d -> d.getSeconds()).orElse(0L))).toList());
                json.put("downstream", downstream.stream().map(ProductEntry::topic).toList());
                json.put("stale", status.freshnessBreached());
                json.put("inputLagSeconds", status.inputLag().map(d -> d.getSeconds()).orElse(null));
                json.put("deadLetters", status.deadLetters());
                json.put("deadLetterQueues", ops.deadLetterQueues(p));
                Output.json(out, json);
                return 0;
            }
            out.println(p.product() + " " + p.version() + "  (" + p.topic() + ")");
            out.println("  " + p.description());
            if (p.isDeprecated()) {
                out.println("  " + p.deprecation(java.time.Instant.now()).toUpperCase(java.util.Locale.ROOT).charAt(0)
                        + p.deprecation(java.time.Instant.now()).substring(1) + "; consumers still on it: "
                        + (consumers.isEmpty() ? "none" : String.join(", ", consumers.stream().map(ConsumerLag::group).toList())));
            }
            out.println();
            line(out, "owner", p.ownerTeam() + " <" + p.ownerContact() + ">");
            line(out, "key", p.keyField());
            line(out, "classification", p.classification());
            line(out, "tags", p.tags() == null ? "" : String.join(", ", p.tags()));
            line(out, "topic", p.topic() + ", " + p.partitions() + " partitions, " + p.cleanupPolicy()
                    + (p.retention() == null ? "" : ", retention " + p.retention()));
            line(out, "subject", p.subject() + ", versions " + versions + ", compatibility " + p.compatibility());
            line(out, "freshness SLO", (p.freshness() == null ? "none" : p.freshness())
                    + (status.freshnessBreached() ? "  ! STALE" : "")
                    + status.newest().map(n -> ", newest record " + Output.duration(java.time.Duration.between(n, java.time.Instant.now())) + " old").orElse(", no records")
                    + status.inputLag().map(l -> ", its streams app is " + Output.duration(l) + " behind on its inputs").orElse(""));
            line(out, "DLQ", p.dlqTopic() + " (" + status.deadLetters() + " dead letter(s) in all its queues; mesh dlq lists them)");
            if (status.refusedOnRead() > 0) {
                line(out, "integrity", "! " + status.refusedOnRead() + " record(s) of the topic refused by its readers on read"
                        + " (undecodable or outside its contract): " + p.ownerTeam() + " wrote what it should not");
            }
            line(out, "published by", p.streamsApplicationId() != null ? p.publisherApp() + " (streams app " + p.streamsApplicationId() + ")" : p.publisherApp());
            if (p.quality() != null && !p.quality().isEmpty()) {
                out.println();
                out.println("quality rules:");
                p.quality().forEach(r -> out.println("  " + r.name() + ": " + r.expr() + "  (on failure " + r.onFailure() + ")"));
            }
            out.println();
            out.println("inputs (upstream): " + (p.inputs() == null || p.inputs().isEmpty() ? "none (published)" : String.join(", ", p.inputs())));
            out.println("derived products (downstream): " + (downstream.isEmpty() ? "none" : String.join(", ", downstream.stream().map(ProductEntry::topic).toList())));
            out.println();
            List<List<String>> rows = new ArrayList<>();
            for (ConsumerLag c : consumers) {
                rows.add(List.of(c.group(), String.valueOf(c.records()), c.timeLag().map(Output::duration).orElse("0s")));
            }
            out.println("consumers:");
            Output.table(out, List.of("GROUP", "LAG", "TIME LAG"), rows);
            return 0;
        }
    }

    private static void line(PrintWriter out, String name, String value) {
        out.printf("  %-15s %s%n", name, value);
    }
}
