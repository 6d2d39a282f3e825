package dev.mesh.schemas;

import dev.mesh.sdk.contract.loader.ContractLoader;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.registry.CompatibilityChecker;
import dev.mesh.sdk.registry.CompatibilityLevel;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rules a product folder ({@code products/<domain>/<name>/v<major>}) must keep: its contract loads, its
 * schema is compatible, at the contract's level, with every version released from the folder
 * ({@code released/<Record>-<semver>.avsc}, never edited), and a released version's file is what was released.
 */
final class ReleasedSchemas {
    private static final Pattern RELEASED = Pattern.compile("(.+)-(\\d+)\\.(\\d+)\\.(\\d+)\\.avsc");

    private ReleasedSchemas() {
    }

    static List<Path> productFolders(Path root) {
        try (Stream<Path> contracts = Files.walk(root)) {
            return contracts.filter(p -> p.getFileName().toString().equals("contract.yaml")).map(Path::getParent).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every problem of the folder; empty when the folder keeps the rules. */
    static List<String> problems(Path folder) {
        ProductContract contract = ContractLoader.load(folder.resolve("contract.yaml"));
        CompatibilityLevel level = CompatibilityLevel.parse(contract.compatibility()).orElseThrow();
        List<Released> released = released(folder);
        List<String> problems = new ArrayList<>();
        List<CompatibilityChecker.Existing> existing = new ArrayList<>();
        for (int i = 0; i < released.size(); i++) {
            Released r = released.get(i);
            // a patch changes the contract's text only: it ships the schema its minor released
            var v = contract.version();
            boolean sameVersion = r.version.startsWith(v.major() + "." + v.minor() + ".");
            if (sameVersion && fingerprint(r.schema) != fingerprint(contract.schema())) {
                problems.add(folder + ": released version " + r.version + " is immutable, but the schema differs from it;"
                        + " bump the contract's version for the change");
            }
            if (!sameVersion) {
                existing.add(new CompatibilityChecker.Existing(i + 1, r.schema));
            }
        }
        for (String message : CompatibilityChecker.check(contract.subject(), contract.schema(), existing, level)) {
            problems.add(message.replace("version ", "released version ")
                    + " [" + level + ", released: " + released.stream().map(r -> r.version).toList() + "]");
        }
        return problems;
    }

    private static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    record Released(String version, int[] order, Schema schema) {
    }

    static List<Released> released(Path folder) {
        Path dir = folder.resolve("released");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Released> out = new ArrayList<>();
            for (Path f : files.toList()) {
                Matcher m = RELEASED.matcher(f.getFileName().toString());
                if (!m.matches()) {
                    throw new IllegalStateException(f + " is not named <Record>-<major>.<minor>.<patch>.avsc");
                }
                int[] order = {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))};
                out.add(new Released(order[0] + "." + order[1] + "." + order[2], order, new Schema.Parser().parse(f.toFile())));
            }
            out.sort(Comparator.<Released>comparingInt(r -> r.order[0]).thenComparingInt(r -> r.order[1]).thenComparingInt(r -> r.order[2]));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
