package dev.mesh.cli;

import dev.mesh.sdk.ops.ConsumerLag;
import dev.mesh.sdk.ops.MeshOps;
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
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code mesh lag [group]}: per group, product and partition, in records and in time. */
@Command(name = "lag", mixinStandardHelpOptions = true,
        description = "Show consumer lag per group, product and partition, in records and in time (age of the oldest unread record).")
final class LagCommand implements Callable<Integer> {
    @Mixin
    Connection connection;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "<group>", arity = "0..1", description = "Only this consumer group")
    String group;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ConsumerLag> lags;
        try (MeshOps ops = connection.ops()) {
            Output.progress(spec.commandLine().getErr(), "reading consumer groups...");
            lags = ops.lag(Optional.ofNullable(group));
        } finally {
            Output.progressDone(spec.commandLine().getErr());
        }
        if (group != null && lags.isEmpty()) {
            spec.commandLine().getErr().println("mesh: group '" + group + "' has no committed offsets (unknown group?)");
            return 1;
        }
        if (connection.json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ConsumerLag l : lags) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("group", l.group());
                row.put("topic", l.topic());
                row.put("product", l.product());
                row.put("lag", l.records());
                row.put("timeLagSeconds", l.timeLag().map(d -> d.getSeconds()).orElse(0L));
                row.put("partitions", l.partitions().stream().map(p -> Map.of("partition", p.partition(), "committed", p.committed(),
                        "end", p.end(), "lag", p.lag(), "timeLagSeconds", p.oldestUnread().map(d -> d.getSeconds()).orElse(0L))).toList());
                rows.add(row);
            }
            Output.json(out, rows);
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (ConsumerLag l : lags) {
            for (ConsumerLag.PartitionLag p : l.partitions()) {
                rows.add(List.of(l.group(), l.product() == null ? l.topic() : l.product(), String.valueOf(p.partition()),
                        String.valueOf(p.committed()), String.valueOf(p.end()), String.valueOf(p.lag()),
                        p.oldestUnread().map(Output::duration).orElse("0s")));
            }
        }
        Output.table(out, List.of("GROUP", "PRODUCT", "PARTITION", "COMMITTED", "END", "LAG", "TIME LAG"), rows);
        return 0;
    }
}
