package dev.mesh.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mesh lint} on the mesh's own products, and on a copy of one broken the way a new team might. */
class LintCommandTest {
    private static final Path SCHEMAS = Path.of("..", "schemas");

    @Test
    void theMeshsProductsKeepEveryErrorPolicy() {
        CliRun run = CliRun.of(List.of("lint", SCHEMAS.resolve("products").toString()));
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("0 errors");
    }

    @Test
    void anUndocumentedFieldAndAMissingSloAreErrorsWithFileLineAndPolicy(@TempDir Path dir) throws Exception {
        Files.copy(SCHEMAS.resolve("policies.yaml"), dir.resolve("policies.yaml"));
        Path returns = Files.createDirectories(dir.resolve("products/sales/returns/v1"));
        try (Stream<Path> files = Files.list(SCHEMAS.resolve("products/sales/returns/v1"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, returns.resolve(f.getFileName()));
            }
        }
        Path contract = returns.resolve("contract.yaml");
        Files.writeString(contract, Files.readString(contract).replaceAll("(?m)^slo:.*\\n", ""));
        Path schema;
        try (Stream<Path> files = Files.list(returns)) {
            schema = files.filter(f -> f.toString().endsWith(".avsc")).findFirst().orElseThrow();
        }
        String avsc = Files.readString(schema);
        Files.writeString(schema, avsc.replaceFirst(",\\s*\"doc\"\\s*:\\s*\"[^\"]*\"(\\s*\\})", "$1"));

        CliRun run = CliRun.of(List.of("lint", dir.resolve("products").toString()));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains(contract + ":1: [source-freshness-slo] ERROR", "[field-documented] ERROR", schema.toString());
        CliRun json = CliRun.of(List.of("lint", dir.resolve("products").toString(), "--json"));
        assertThat(json.json().findValuesAsText("policy")).contains("source-freshness-slo", "field-documented");
    }
}
