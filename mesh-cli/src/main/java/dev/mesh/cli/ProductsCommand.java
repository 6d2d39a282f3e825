package dev.mesh.cli;

import dev.mesh.sdk.ops.MeshOps;
import dev.mesh.sdk.ops.ProductStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mesh products}: every product in the catalog, with its freshness against its SLO. */
@Command(name = "products", mixinStandardHelpOptions = true,
        description = "List every product: id, version, owner, topic, partitions, records, and the age of the newest record against its freshness SLO (breaches marked !).")
final class ProductsCommand implements Callable<Integer> {
    @Mixin
    Connection connection;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Output.progress(spec.commandLine().getErr(), "reading the catalog and topics...");
        List<ProductStatus> products;
        List<String> refused;
        try (MeshOps ops = connection.ops()) {
            dev.mesh.sdk.catalog.CatalogSnapshot catalog = ops.catalog();
            refused = catalog.refused();
            products = ops.products(catalog);
        } finally {
            Output.progressDone(spec.commandLine().getErr());
        }
        Instant now = Instant.now();
        if (connection.json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ProductStatus p : products) {
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                row.put("product", p.entry().product());
                row.put("version", p.entry().version());
                row.put("owner", p.entry().ownerTeam());
                row.put("topic", p.entry().topic());
                row.put("topicExists", p.topicExists());
                row.put("partitions", p.partitions());
                row.put("records", p.records());
                row.put("newestRecord", p.newest().map(Instant::toString).orElse(null));
                row.put("ageSeconds", p.age(now).map(d -> d.getSeconds()).orElse(null));
                row.put("freshnessSlo", p.entry().freshness());
                row.put("freshnessBreached", p.freshnessBreached());
                p.inputLag().ifPresent(l -> row.put("inputLagSeconds", l.toSeconds()));
                row.put("deadLetters", p.deadLetters());
                row.put("refusedOnRead", p.refusedOnRead());
                row.put("consumers", p.consumers().stream().map(c -> c.group()).toList());
                if (p.entry().isDeprecated()) {
                    row.put("successor", p.entry().successor());
                    row.put("sunset", p.entry().sunset().toString());
                }
                rows.add(row);
            }
            Output.json(out, rows);
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (ProductStatus p : products) {
            String age = p.age(now).map(Output::duration).orElse("empty");
            String slo = p.entry().freshness() == null ? "" : " / " + Output.duration(java.time.Duration.parse(p.entry().freshness()));
            rows.add(List.of(p.entry().product() + (p.entry().isDeprecated() ? " (deprecated → " + p.entry().successor() + ")" : ""),
                    p.entry().version(), p.entry().ownerTeam(), p.entry().topic(),
                    p.topicExists() ? String.valueOf(p.partitions()) : "missing!", String.valueOf(p.records()),
                    (p.freshnessBreached() ? "! " : "") + age + slo
                            + p.inputLag().map(l -> " (app " + Output.duration(l) + " behind)").orElse(""),
                    p.deadLetters() + (p.refusedOnRead() > 0 ? " (" + p.refusedOnRead() + " refused on read!)" : ""),
                    String.valueOf(p.consumers().size())));
        }
        Output.table(out, List.of("PRODUCT", "VERSION", "OWNER", "TOPIC", "PARTITIONS", "RECORDS", "NEWEST / SLO", "DLQ", "CONSUMERS"), rows);
        long breached = products.stream().filter(ProductStatus::freshnessBreached).count();
        if (breached > 0) {
            out.println();
            out.println(breached + " product(s) breach their freshness SLO (marked !)");
        }
        long corrupt = products.stream().filter(p -> p.refusedOnRead() > 0).count();
        if (corrupt > 0) {
            out.println();
            out.println(corrupt + " product(s) hold records their readers refused on read (undecodable or outside their"
                    + " contract): their owners wrote what they should not; mesh dlq <product> shows them");
        }
        if (!refused.isEmpty()) {
            out.println();
            out.println(refused.size() + " catalog entr" + (refused.size() == 1 ? "y" : "ies")
                    + " refused (a domain wrote what only another may say; not shown above):");
            refused.forEach(r -> out.println("  " + r));
        }
        return 0;
    }
}
