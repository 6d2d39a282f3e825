package dev.mesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.ops.SloRules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mesh slo [product]}: every product's SLOs as the catalog evaluates them, worst first, and the last alerts;
 * {@code mesh slo rules}: the same objectives as Prometheus alerting rules.
 */
@Command(name = "slo", mixinStandardHelpOptions = true, subcommands = SloCommand.Rules.class,
        description = {"Show the products' SLOs as the catalog evaluates them (state, since when, measured value "
                + "against the objective), breaches first, and the last alerts.",
                "With a product: its objectives and its alerts."})
final class SloCommand implements Callable<Integer> {
    @Mixin
    MarketplaceCommands.CatalogApi api;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "<product>", arity = "0..1", description = "Product id (e.g. sales.orders) or topic (sales.orders.v1)")
    String product;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        JsonNode answer = product == null ? api.call("GET", "/api/slo", null)
                : api.call("GET", "/api/slo/" + URLEncoder.encode(product, StandardCharsets.UTF_8), null);
        if (api.connection.json) {
            Output.json(out, answer);
            return 0;
        }
        List<JsonNode> objectives = new ArrayList<>();
        if (product == null) {
            answer.path("objectives").forEach(objectives::add);
        } else {
            answer.path("objectives").forEach(o -> objectives.add(o.path("current")));
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode o : objectives) {
            rows.add(List.of(o.path("topic").asText(), o.path("slo").asText(), mark(o.path("state").asText()),
                    o.path("since").asText(), value(o), number(o.path("objective").asDouble()) + " " + o.path("unit").asText(),
                    o.path("detail").asText()));
        }
        if (rows.isEmpty()) {
            out.println(product == null ? "no SLO evaluated yet (the catalog evaluates every catalog.slo.period)"
                    : answer.path("topic").asText() + ": no SLO evaluated yet");
        } else {
            Output.table(out, List.of("PRODUCT", "SLO", "STATE", "SINCE", "VALUE", "OBJECTIVE", "DETAIL"), rows);
        }
        List<List<String>> alerts = new ArrayList<>();
        answer.path("alerts").forEach(a -> alerts.add(List.of(a.path("at").asText(), a.path("topic").asText(),
                a.path("slo").asText(), a.path("from").asText() + " -> " + a.path("to").asText(), value(a),
                a.path("owner").asText() + " <" + a.path("contact").asText() + ">")));
        if (!alerts.isEmpty()) {
            out.println();
            out.println("alerts, newest first:");
            Output.table(out, List.of("AT", "PRODUCT", "SLO", "CHANGE", "VALUE", "OWNER"), alerts);
        }
        return 0;
    }

    private static String mark(String state) {
        return "BREACHED".equals(state) ? "! BREACHED" : state;
    }

    private static String value(JsonNode o) {
        return o.path("value").isNumber() ? number(o.path("value").asDouble()) + " " + o.path("unit").asText() : "-";
    }

    private static String number(double n) {
        return n == Math.rint(n) && Math.abs(n) < 1e15 ? Long.toString((long) n)
                : java.math.BigDecimal.valueOf(n).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** {@code mesh slo rules}: Prometheus alerting rules mirroring every contract's SLOs. */
    @Command(name = "rules", mixinStandardHelpOptions = true,
            description = {"Print Prometheus alerting rules mirroring every product's SLOs.",
                    "They are over the series the catalog exports on /prometheus: mesh slo rules > mesh.rules.yml,"
                            + " then promtool check rules mesh.rules.yml."})
    static final class Rules implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(SloRules.prometheus(Product.all().stream().map(Product::contract).toList()));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
