package dev.mesh.cli;

import dev.mesh.sdk.audit.AuditEvent;
import dev.mesh.sdk.audit.AuditLog;
import dev.mesh.sdk.contract.DurationText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code mesh audit [--product P] [--since 1h]}: who changed what, from {@code _mesh.audit}. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Who changed what, oldest first: access, registry, ACL and DLQ changes.",
                "Access requests and decisions, registry writes, deletes, config and mode changes, ACL applies and DLQ redrives.",
                "Reading it needs the admin (or the catalog's) principal."})
final class AuditCommand implements Callable<Integer> {
    @Mixin
    Connection connection;
    @Option(names = "--product", description = "Only what concerns this product (id or topic)")
    String product;
    @Option(names = "--since", description = "How far back, e.g. 1h, 7d (default 24h)")
    String since = "24h";
    @Spec
    CommandSpec spec;

    private String topic(String idOrTopic) {
        try (var ops = connection.ops()) {
            return ops.product(ops.catalog(), idOrTopic).topic();
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<Duration> back = DurationText.parse(since);
        if (back.isEmpty()) {
            spec.commandLine().getErr().println("mesh: --since '" + since + "': " + DurationText.EXPECTED);
            return 2;
        }
        Optional<String> topic = Optional.ofNullable(product).map(this::topic);
        List<AuditEvent> events;
        try (AuditLog audit = new AuditLog(connection.properties())) {
            events = audit.read(topic, AuditLog.since(back.get()));
        }
        if (connection.json) {
            Output.json(out, events);
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (AuditEvent e : events) {
            rows.add(List.of(e.at().toString(), e.principal(), e.action(), e.product() == null ? "" : e.product(),
                    e.details().entrySet().stream().map(d -> d.getKey() + "=" + d.getValue()).collect(Collectors.joining(" "))));
        }
        Output.table(out, List.of("WHEN", "WHO", "WHAT", "PRODUCT", "DETAILS"), rows);
        return 0;
    }
}
