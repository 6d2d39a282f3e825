package dev.mesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mesh usage [product] [--since 7d]}: who reads each product and how much, for chargeback, from the catalog. */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = {"Show who reads each product and how much: records and bytes per reading group, heaviest first.",
                "Counted from committed offsets; products nobody read lately are marked idle."})
final class UsageCommand implements Callable<Integer> {
    @Mixin
    MarketplaceCommands.CatalogApi api;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "<product>", arity = "0..1", description = "Product id (e.g. sales.orders) or topic (sales.orders.v1)")
    String product;
    @Option(names = "--since", paramLabel = "<span>", defaultValue = "7d", description = "How far back: 24h, 7d, 30d (default ${DEFAULT-VALUE})")
    String since;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String query = "?since=" + URLEncoder.encode(since, StandardCharsets.UTF_8)
                + (product == null ? "" : "&product=" + URLEncoder.encode(product, StandardCharsets.UTF_8));
        JsonNode answer = api.call("GET", "/api/usage" + query, null);
        if (api.connection.json) {
            Output.json(out, answer);
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode p : answer.path("products")) {
            String mark = p.path("idle").asBoolean() ? "  (idle: no reader in " + answer.path("idleAfter").asText().replace("PT", "").toLowerCase() + ")" : "";
            if (p.path("readers").isEmpty()) {
                rows.add(List.of(p.path("topic").asText() + mark, "-", "-", "0", "0", "-", "-"));
            }
            boolean first = true;
            for (JsonNode r : p.path("readers")) {
                rows.add(List.of(first ? p.path("topic").asText() + mark : "", r.path("group").asText(), r.path("reader").asText(),
                        Long.toString(r.path("records").asLong()), bytes(r.path("bytes").asLong()),
                        Long.toString(r.path("daysRead").asLong()), r.path("lastReadAt").asText("-")));
                first = false;
            }
        }
        Output.table(out, List.of("PRODUCT", "GROUP", "DOMAIN", "RECORDS", "BYTES", "DAYS", "LAST READ"), rows);
        return 0;
    }

    private static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
