package dev.mesh.sdk.ops;

import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.loader.ContractLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules {@code mesh slo rules} writes, checked by Prometheus' own promtool (Debian's prometheus package; .ci/run
 * installs it): valid rules, and on synthetic series they fire for a stale, a quiet and a dead-lettering product and
 * stay silent for a healthy one.
 */
class SloRulesTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    /** finance.order-settlements.v2: freshness 5m, window 10m, volume 100..100000, dead letters at most 0.5%, lag 15m, latency 2s. */
    private static final ProductContract CONTRACT = ContractLoader.loadResource("/contracts/valid/derived/contract.yaml");

    @Test
    void everyObjectiveIsARuleWithTheOwnerToTell() {
        String rules = SloRules.prometheus(List.of(CONTRACT));
        assertThat(rules).contains("alert: MeshFreshnessBreached",
                "expr: \"time() - max(mesh_product_last_event_timestamp_seconds{topic=\\\"finance.order-settlements.v2\\\"}) > 300\"",
                "alert: MeshVolumeBelowMinimum", "[600s])) < 100\"", "alert: MeshVolumeAboveMaximum", "[600s])) > 100000\"",
                "alert: MeshDeadLetterRatioBreached", "alert: MeshConsumerLagBreached", "alert: MeshLatencyBreached",
                "histogram_quantile(0.99, sum by (le) (rate(mesh_derived_latency_seconds_bucket{topic=\\\"finance.order-settlements.v2\\\"}[600s]))) > 2.0",
                "contact: \"finance-data@shop.example\"", "owner: \"finance\"");
        assertThat(SloRules.prometheus(List.of())).contains("groups:", "rules:");
    }

    @Test
    void promtoolAcceptsTheRulesAndTheyFireOnlyWhenAnObjectiveIsBroken(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMTOOL), "skipped: " + PROMTOOL
                + " is not installed (apt-get install -y prometheus; .ci/run installs it)");
        Files.writeString(dir.resolve("mesh.rules.yml"), SloRules.prometheus(List.of(CONTRACT)));
        String labels = "severity: page, product: finance.order-settlements, topic: finance.order-settlements.v2, owner: finance";
        Files.writeString(dir.resolve("mesh.rules.test.yml"), """
                rule_files: [mesh.rules.yml]
                evaluation_interval: 1m
                tests:
                  # healthy: a record every minute, 100 a minute, no dead letters
                  - interval: 1m
                    input_series:
                      - series: 'mesh_product_last_event_timestamp_seconds{topic="finance.order-settlements.v2"}'
                        values: '0+60x30'
                      - series: 'mesh_product_records_total{topic="finance.order-settlements.v2"}'
                        values: '0+100x30'
                      - series: 'mesh_product_dead_letters{topic="finance.order-settlements.v2"}'
                        values: '0x30'
                    alert_rule_test:
                      - {eval_time: 20m, alertname: MeshFreshnessBreached, exp_alerts: []}
                      - {eval_time: 20m, alertname: MeshVolumeBelowMinimum, exp_alerts: []}
                      - {eval_time: 20m, alertname: MeshDeadLetterRatioBreached, exp_alerts: []}
                  # the publisher stops at minute 5: fresh at 8m, stale from 10m on
                  - interval: 1m
                    input_series:
                      - series: 'mesh_product_last_event_timestamp_seconds{topic="finance.order-settlements.v2"}'
                        values: '0+60x5 300x25'
                    alert_rule_test:
                      - {eval_time: 8m, alertname: MeshFreshnessBreached, exp_alerts: []}
                      - eval_time: 11m
                        alertname: MeshFreshnessBreached
                        exp_alerts:
                          - exp_labels: {%1$s, slo: freshness}
                            exp_annotations:
                              summary: the newest record of finance.order-settlements.v2 is older than its freshness SLO of 5m
                              contact: finance-data@shop.example
                  # 5 records a minute with one dead letter a minute: too few, and 1 in 6 dead-lettered
                  - interval: 1m
                    input_series:
                      - series: 'mesh_product_records_total{topic="finance.order-settlements.v2"}'
                        values: '0+5x30'
                      - series: 'mesh_product_dead_letters{topic="finance.order-settlements.v2"}'
                        values: '0+1x30'
                    alert_rule_test:
                      - eval_time: 20m
                        alertname: MeshVolumeBelowMinimum
                        exp_alerts:
                          - exp_labels: {%1$s, slo: volume}
                            exp_annotations:
                              summary: finance.order-settlements.v2 received fewer than 100 records in 10m
                              contact: finance-data@shop.example
                      - eval_time: 20m
                        alertname: MeshDeadLetterRatioBreached
                        exp_alerts:
                          - exp_labels: {%1$s, slo: deadLetterRatio}
                            exp_annotations:
                              summary: more than 0.5%% of what finance.order-settlements.v2 received in 10m was dead-lettered
                              contact: finance-data@shop.example
                """.formatted(labels));
        assertThat(promtool(dir, "check", "rules", "mesh.rules.yml")).contains("SUCCESS: 6 rules found");
        assertThat(promtool(dir, "test", "rules", "mesh.rules.test.yml")).contains("SUCCESS");
    }

    private static String promtool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", args) + " did not finish within 60 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("promtool %s:%n%s", String.join(" ", args), out).isZero();
        return out;
    }
}
