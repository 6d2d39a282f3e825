package dev.mesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.ops.Lineage;
import dev.mesh.sdk.ops.MeshOps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mesh lineage <product>}: where a product comes from and what is built from it, across domains, from the
 * catalog topics; with this mesh's catalog at hand, also the jobs OpenLineage events reported reading or writing it.
 */
@Command(name = "lineage", mixinStandardHelpOptions = true,
        description = {"Show the upstream and downstream tree of a product across domains.",
                "With the catalog at hand, also the jobs OpenLineage events reported reading or writing it."})
final class LineageCommand implements Callable<Integer> {
    @Mixin
    MarketplaceCommands.CatalogApi api;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "<product>")
    String product;

    /** A job OpenLineage events reported: who reported it, what it reads and writes. */
    record ReportedJob(String job, String reportedBy, List<String> reads, List<String> writes) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (MeshOps ops = api.connection.ops()) {
            CatalogSnapshot catalog = ops.catalog();
            ProductEntry p = ops.product(catalog, product);
            Lineage.Node up = Lineage.upstream(catalog, p.topic());
            Lineage.Node down = Lineage.downstream(catalog, p.topic());
            List<ReportedJob> reported = api.catalogOfThisMesh()
                    .flatMap(url -> api.reachable(url, "/api/lineage/" + URLEncoder.encode(p.topic(), StandardCharsets.UTF_8)))
                    .map(LineageCommand::reported).orElse(List.of());
            if (api.connection.json) {
                Output.json(out, Map.of("product", p.topic(), "upstream", up, "downstream", down, "reported", reported));
                return 0;
            }
            out.println("upstream (built from):");
            Lineage.render(up).forEach(l -> out.println("  " + l));
            out.println();
            out.println("downstream (built from it):");
            Lineage.render(down).forEach(l -> out.println("  " + l));
            if (!reported.isEmpty()) {
                out.println();
                out.println("jobs reported by OpenLineage:");
                for (ReportedJob j : reported) {
                    out.println("  " + j.job() + "  [reported by " + j.reportedBy() + "]");
                    if (!j.reads().isEmpty()) {
                        out.println("    reads  " + String.join(", ", j.reads()));
                    }
                    if (!j.writes().isEmpty()) {
                        out.println("    writes " + String.join(", ", j.writes()));
                    }
                }
            }
            return 0;
        }
    }

    /** The job nodes of the catalog's graph with the datasets on their edges. */
    private static List<ReportedJob> reported(JsonNode graph) {
        Map<String, String> labels = new LinkedHashMap<>();
        graph.path("nodes").forEach(n -> labels.put(n.path("id").asText(), n.path("label").asText()));
        List<ReportedJob> jobs = new ArrayList<>();
        for (JsonNode n : graph.path("nodes")) {
            if (!n.path("kind").asText().equals("job")) {
                continue;
            }
            String id = n.path("id").asText();
            List<String> reads = new ArrayList<>();
            List<String> writes = new ArrayList<>();
            graph.path("edges").forEach(e -> {
                if (e.path("target").asText().equals(id)) {
                    reads.add(name(e.path("source").asText()));
                } else if (e.path("source").asText().equals(id)) {
                    writes.add(name(e.path("target").asText()));
                }
            });
            // job:<reporter>/<namespace>/<name>
            String[] parts = id.substring("job:".length()).split("/", 2);
            jobs.add(new ReportedJob(parts.length == 2 ? parts[1] : id, n.path("owner").asText(), reads, writes));
        }
        return jobs;
    }

    private static String name(String nodeId) {
        return nodeId.startsWith("dataset:") ? nodeId.substring("dataset:".length()) : nodeId;
    }
}
