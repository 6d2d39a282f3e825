package dev.mesh.cli;

import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.ops.DeadLetter;
import dev.mesh.sdk.ops.DeadLetterQueue;
import dev.mesh.sdk.ops.MeshOps;
import dev.mesh.sdk.ops.RedriveReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mesh dlq <product> [--redrive]}: dead letters waiting, and redriving them after a contract fix. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = {"Show a product's dead-lettered records, wherever they were refused: by its publisher (waiting"
                + " for a redrive), by a consumer group or by a Streams app that reads it; with rule, reason, origin.",
                "With --redrive: re-validate those its publisher refused against the contract registered now; republish those that pass to their",
                "origin topic (with __redrive.* provenance headers) and put those that still fail back, with the new reason."})
final class DlqCommand implements Callable<Integer> {
    @Mixin
    Connection connection;
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
        try (MeshOps ops = connection.ops()) {
            ProductEntry p = ops.product(ops.catalog(), product);
            if (redrive) {
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
            List<DeadLetter> letters = ops.deadLetters(p, limit);
            if (connection.json) {
                Output.json(out, Map.of("dlqTopic", p.dlqTopic(), "queues", ops.deadLetterQueues(p), "records", letters));
                return 0;
            }
            for (DeadLetterQueue q : ops.deadLetterQueues(p)) {
                List<List<String>> rows = new ArrayList<>();
                for (DeadLetter d : letters.stream().filter(d -> d.dlqTopic().equals(q.topic())).toList()) {
                    rows.add(List.of(String.valueOf(d.offset()), d.key() == null ? "" : d.key(), d.rule() == null ? "" : d.rule(),
                            d.reason() == null ? "" : d.reason(), d.originTopic(), d.value().toString()));
                }
                out.println(q.topic() + " (refused by " + q.refusedBy() + "): " + rows.size() + " record(s)"
                        + (q.isPublisher() ? " waiting for a redrive" : ""));
                if (!rows.isEmpty()) {
                    Output.table(out, List.of("OFFSET", "KEY", "RULE", "REASON", "ORIGIN", "VALUE"), rows);
                }
            }
            return 0;
        }
    }
}
