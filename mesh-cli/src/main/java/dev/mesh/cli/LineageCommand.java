package dev.mesh.cli;

import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.ops.Lineage;
import dev.mesh.sdk.ops.MeshOps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mesh lineage <product>}: where a product comes from and what is built from it, across domains. */
@Command(name = "lineage", mixinStandardHelpOptions = true,
        description = "Show the upstream and downstream tree of a product across domains.")
final class LineageCommand implements Callable<Integer> {
    @Mixin
    Connection connection;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "<product>")
    String product;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (MeshOps ops = connection.ops()) {
            CatalogSnapshot catalog = ops.catalog();
            ProductEntry p = ops.product(catalog, product);
            Lineage.Node up = Lineage.upstream(catalog, p.topic());
            Lineage.Node down = Lineage.downstream(catalog, p.topic());
            if (connection.json) {
                Output.json(out, Map.of("product", p.topic(), "upstream", up, "downstream", down));
                return 0;
            }
            out.println("upstream (built from):");
            Lineage.render(up).forEach(l -> out.println("  " + l));
            out.println();
            out.println("downstream (built from it):");
            Lineage.render(down).forEach(l -> out.println("  " + l));
            return 0;
        }
    }
}
