package dev.mesh.sdk.policy;

import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.loader.ContractLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The contracts under a folder checked against the mesh's policies: the global {@code policies.yaml} found in the
 * folder or above it (the schemas module's), with each domain's {@code products/<domain>/policies.yaml}.
 */
public final class Lint {
    public static final String POLICIES = "policies.yaml";

    private Lint() {
    }

    /** The violations of every contract under {@code dir} (a products folder, a domain's, or one product's). */
    public static List<PolicyViolation> check(Path dir, Optional<Path> policies) {
        Path global = policies.or(() -> find(dir)).orElseThrow(() -> new IllegalArgumentException(
                "no " + POLICIES + " in " + dir.toAbsolutePath() + " or above it; give one with --policies"));
        Path products = global.toAbsolutePath().getParent().resolve("products");
        PolicyChecker checker = new PolicyChecker(PolicySet.load(global, products));
        return checker.check(contracts(dir));
    }

    /** Fails with every ERROR violation, one per line: for builds. */
    public static void requireNoErrors(Path dir) {
        List<PolicyViolation> errors = check(dir, Optional.empty()).stream()
                .filter(v -> v.severity() == Policy.Severity.ERROR).toList();
        if (!errors.isEmpty()) {
            throw new IllegalStateException(errors.size() + " contract(s) break the mesh's policies:\n"
                    + String.join("\n", errors.stream().map(PolicyViolation::toString).toList()));
        }
    }

    static List<ProductContract> contracts(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().equals("contract.yaml")).sorted()
                    .map(ContractLoader::load).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read contracts under " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Path> find(Path dir) {
        for (Path d = dir.toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(POLICIES))) {
                return Optional.of(d.resolve(POLICIES));
            }
        }
        return Optional.empty();
    }
}
