package dev.mesh.cli;

import dev.mesh.sdk.ops.ConsumerLag;
import dev.mesh.sdk.ops.MeshOps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code mesh lag [group]}: per group, product and partition, in records and in time. */
@Command(name = "lag", mixinStandardHelpOptions = true,
        description = "Show consumer lag per group, product and partition, in records and in time (age of the oldest unread record).")
final class LagCommand implements Callable<Integer> {
    @Mixin
    MarketplaceCommands.CatalogApi api;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "<group>", arity = "0..1", description = "Only this consumer group")
    String group;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, Object>> lags;
        try {
            Output.progress(spec.commandLine().getErr(), "reading consumer groups...");
            // the catalog of this mesh keeps every group's lag measured (for admins); else Kafka, as this principal
            lags = api.catalogOfThisMesh().flatMap(url -> api.reachable(url, "/api/ops/lag").map(answer -> {
                        if (!answer.isArray()) {
                            throw new IllegalStateException("the catalog at " + url + " answered no lag list: is it this mesh's catalog (--catalog)?");
                        }
                        return Output.JSON.convertValue(answer, ROWS);
                    }))
                    .map(all -> all.stream().filter(l -> group == null || group.equals(l.get("group"))).toList())
                    .orElseGet(this::fromKafka);
        } finally {
            Output.progressDone(spec.commandLine().getErr());
        }
        if (group != null && lags.isEmpty()) {
            spec.commandLine().getErr().println("mesh: group '" + group + "' has no committed offsets (unknown group?)");
            return 1;
        }
        if (api.connection.json) {
            Output.json(out, lags);
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> l : lags) {
            Object product = l.get("product");
            for (Object o : (List<?>) l.get("partitions")) {
                Map<?, ?> p = (Map<?, ?>) o;
                long timeLag = ((Number) p.get("timeLagSeconds")).longValue();
                rows.add(List.of(String.valueOf(l.get("group")), String.valueOf(product == null ? l.get("topic") : product),
                        String.valueOf(p.get("partition")), String.valueOf(p.get("committed")), String.valueOf(p.get("end")),
                        String.valueOf(p.get("lag")), timeLag == 0 ? "0s" : Output.duration(Duration.ofSeconds(timeLag))));
            }
        }
        Output.table(out, List.of("GROUP", "PRODUCT", "PARTITION", "COMMITTED", "END", "LAG", "TIME LAG"), rows);
        return 0;
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<List<Map<String, Object>>> ROWS = new com.fasterxml.jackson.core.type.TypeReference<>() { };

    private List<Map<String, Object>> fromKafka() {
        try (MeshOps ops = api.connection.ops()) {
            return ops.lag(Optional.ofNullable(group)).stream().map(ConsumerLag::row).toList();
        }
    }
}
