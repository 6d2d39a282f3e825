package dev.mesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.catalog.RecentRecords;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.contract.DurationText;
import dev.mesh.sdk.ops.MeshOps;
import dev.mesh.sdk.ops.TailOptions;
import dev.mesh.sdk.ops.TailRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code mesh tail <product>}: records decoded to JSON lines, PII masked. The newest few ({@code -n} alone, no
 * {@code --reveal}) are asked of this mesh's catalog when there is one and it lets this principal read the product;
 * everything else is read from Kafka as the caller.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Print a product's records as JSON lines: key, partition, offset, timestamp, value.",
                "Follows new records until Ctrl-C, unless -n is given. PII-tagged fields are masked unless --reveal."})
final class TailCommand implements Callable<Integer> {
    @Mixin
    MarketplaceCommands.CatalogApi api;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "<product>")
    String product;
    @Option(names = "--from-beginning", description = "Start at the first record")
    boolean fromBeginning;
    @Option(names = "--offset", description = "Start at this offset (in every partition read)")
    Long offset;
    @Option(names = "--since", description = "Start at records newer than this, e.g. 10m, 2h, 1d")
    String since;
    @Option(names = {"-n", "--max"}, description = "Stop after N records (without a start option: the last N)")
    int limit;
    @Option(names = {"-f", "--follow"}, description = "Keep waiting for new records even with -n")
    boolean follow;
    @Option(names = "--key", description = "Only this key: reads just the partition it hashes to")
    String key;
    @Option(names = "--filter", description = "Only records for which this CEL expression is true, e.g. \"message.totalAmount > 100.0\"")
    String filter;
    @Option(names = "--reveal", description = "Show PII-tagged fields instead of *** (the owner, an admin, or a principal whose grant includes PII)")
    boolean reveal;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TailOptions options = new TailOptions(fromBeginning, offset == null ? OptionalLong.empty() : OptionalLong.of(offset),
                Optional.ofNullable(since).map(TailCommand::duration), limit, Optional.ofNullable(key),
                Optional.ofNullable(filter), reveal, follow || limit == 0);
        if (options.lastN() && !reveal && limit <= RecentRecords.MAX) {
            Optional<JsonNode> recent = api.catalogOfThisMesh().flatMap(url -> api.reachable(url,
                    "/api/products/" + URLEncoder.encode(product, StandardCharsets.UTF_8) + "/records?limit=" + limit));
            if (recent.isPresent()) {
                return print(out, recent.get());
            }
        }
        AtomicBoolean stop = new AtomicBoolean();
        Thread hook = new Thread(() -> stop.set(true));
        Runtime.getRuntime().addShutdownHook(hook);
        try (MeshOps ops = api.connection.ops()) {
            ProductEntry p = ops.product(ops.catalog(), product);
            if (ops.topics().describe(p.topic()).isEmpty()) {
                spec.commandLine().getErr().println("mesh: " + AccessCheck.readRefusal(api, p));
                return 1;
            }
            if (reveal) {
                Optional<String> refusal = AccessCheck.revealRefusal(api, p);
                if (refusal.isPresent()) {
                    spec.commandLine().getErr().println("mesh: " + refusal.get());
                    return 1;
                }
            }
            var reader = ops.reader(p);
            reader.read(options, r -> {
                out.println(line(r));
                out.flush();
                return true;
            }, stop::get);
            if (reader.refusal() != null) {
                // the fields are encrypted in the topic and this principal was not given their key
                spec.commandLine().getErr().println("mesh: encrypted fields shown as ***: " + reader.refusal());
            }
            return 0;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // already exiting
            }
        }
    }

    /**
     * The newest records as this mesh's catalog read them (newest first, PII masked: it never reveals), printed as
     * Kafka would have given them: oldest first, the same lines.
     */
    private int print(PrintWriter out, JsonNode recent) {
        if (!recent.path("records").isArray()) {
            throw new IllegalStateException("the catalog answered no records: is it this mesh's catalog (--catalog)?");
        }
        if (recent.hasNonNull("missing")) {
            spec.commandLine().getErr().println("mesh: " + recent.path("missing").asText());
            return 1;
        }
        java.util.List<JsonNode> records = new java.util.ArrayList<>();
        recent.path("records").forEach(records::add);
        java.util.Collections.reverse(records);
        for (JsonNode r : records) {
            out.println(line(r.path("key").isNull() ? null : r.path("key").asText(), r.path("partition").asInt(), r.path("offset").asLong(),
                    r.path("timestamp").asText(), r.hasNonNull("error") ? null : r.path("value"), r.hasNonNull("error") ? r.path("error").asText() : null));
        }
        out.flush();
        return 0;
    }

    private static String line(TailRecord r) {
        return line(r.key(), r.partition(), r.offset(), java.time.Instant.ofEpochMilli(r.timestamp()).toString(), r.value(), r.error());
    }

    private static String line(String key, int partition, long offset, String timestamp, Object value, String error) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", key);
        json.put("partition", partition);
        json.put("offset", offset);
        json.put("timestamp", timestamp);
        if (error != null) {
            json.put("error", error);
        } else {
            json.put("value", value);
        }
        try {
            return Output.JSON.copy().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Duration duration(String text) {
        return DurationText.parse(text.trim()).orElseThrow(() -> new picocli.CommandLine.ParameterException(
                new picocli.CommandLine(new TailCommand()), "--since '" + text + "': " + DurationText.EXPECTED));
    }
}
