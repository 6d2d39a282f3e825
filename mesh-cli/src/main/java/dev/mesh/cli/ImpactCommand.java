package dev.mesh.cli;

import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.contract.loader.ContractLoader;
import dev.mesh.sdk.ops.Impact;
import dev.mesh.sdk.ops.MeshOps;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mesh impact <product> <.avsc | contract folder>}: what a proposed schema would break, and whom. */
@Command(name = "impact", mixinStandardHelpOptions = true,
        description = {"Before releasing a schema: is it compatible under the product's level, and if not, which derived"
                + " products, Streams apps and consumer groups (with lag and owners) it would break.",
                "Exit 0: compatible, 1: breaking with consumers, 2: breaking without any."})
final class ImpactCommand implements Callable<Integer> {
    @Mixin
    Connection connection;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "<product>", description = "Product id (e.g. sales.orders) or topic (sales.orders.v1)")
    String product;
    @Parameters(index = "1", paramLabel = "<proposal>", description = "The proposed .avsc, or a product folder with its contract.yaml")
    Path proposal;

    @Override
    public Integer call() {
        Schema proposed = proposed();
        Impact impact;
        try (MeshOps ops = connection.ops()) {
            CatalogSnapshot catalog = ops.catalog();
            ProductEntry p = ops.product(catalog, product);
            impact = ops.impact(p, proposed, catalog);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (connection.json) {
            Output.json(out, impact.asJson());
            return impact.exitCode();
        }
        out.printf("%s (%s, %s): %s%n", impact.product(), impact.topic(), impact.level(),
                impact.compatible() ? "compatible" : "BREAKING");
        impact.incompatibilities().forEach(i -> out.println("  - " + i));
        if (impact.compatible()) {
            return 0;
        }
        if (impact.derived().isEmpty() && impact.groups().isEmpty()) {
            out.println("No derived product or consumer group reads it.");
            return impact.exitCode();
        }
        out.println("It would break:");
        List<List<String>> rows = new ArrayList<>();
        for (Impact.Derived d : impact.derived()) {
            rows.add(List.of(d.topic(), d.application() == null ? "-" : d.application(), d.ownerTeam() + " <" + d.ownerContact() + ">",
                    d.sharedFields().isEmpty() ? "-" : String.join(", ", d.sharedFields())));
        }
        Output.table(out, List.of("DERIVED PRODUCT", "STREAMS APP", "OWNER", "FIELDS IT SHARES"), rows);
        List<List<String>> groups = new ArrayList<>();
        for (Impact.Group g : impact.groups()) {
            groups.add(List.of(g.group(), g.kind(), g.owner(), String.valueOf(g.lag()), g.timeLag().map(Output::duration).orElse("0s")));
        }
        Output.table(out, List.of("GROUP", "KIND", "OWNER", "LAG", "TIME LAG"), groups);
        return impact.exitCode();
    }

    private Schema proposed() {
        if (Files.isDirectory(proposal)) {
            return ContractLoader.load(proposal.resolve("contract.yaml")).schema();
        }
        try {
            return new Schema.Parser().parse(Files.readString(proposal));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + proposal + ": " + e.getMessage(), e);
        } catch (SchemaParseException e) {
            throw new IllegalArgumentException(proposal + " is not an Avro schema: " + e.getMessage(), e);
        }
    }
}
