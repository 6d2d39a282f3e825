package dev.mesh.cli;

import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.ops.MeshOps;
import dev.mesh.sdk.ops.SchemaDiff;
import dev.mesh.sdk.registry.RegisteredSchema;
import org.apache.avro.Schema;
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

/** {@code mesh schema <product> [--diff A B]}: the schema as a field table, or what changed between two versions. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Show a product's schema (latest, or --schema-version N), or a field-level diff between two versions (--diff A B).")
final class SchemaCommand implements Callable<Integer> {
    @Mixin
    Connection connection;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "<product>")
    String product;
    @Option(names = "--schema-version", description = "Registry version to show (default: latest)")
    Integer version;
    @Option(names = "--diff", arity = "2", paramLabel = "<version>", description = "Two registry versions to compare, e.g. --diff 1 2")
    List<Integer> diff;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (MeshOps ops = connection.ops()) {
            ProductEntry p = ops.product(ops.catalog(), product);
            String subject = Naming.valueSubject(p.topic());
            var registry = ops.mesh().registry();
            if (diff != null) {
                Schema a = registry.schemaById(registry.version(subject, diff.get(0)).id());
                Schema b = registry.schemaById(registry.version(subject, diff.get(1)).id());
                List<SchemaDiff.Change> changes = SchemaDiff.diff(a, b);
                if (connection.json) {
                    Output.json(out, Map.of("subject", subject, "from", diff.get(0), "to", diff.get(1), "changes", changes));
                } else {
                    out.println(subject + ": version " + diff.get(0) + " -> " + diff.get(1));
                    if (changes.isEmpty()) {
                        out.println("  no field changes");
                    }
                    changes.forEach(c -> out.println("  " + c));
                }
                return 0;
            }
            RegisteredSchema registered = version == null ? registry.latest(subject) : registry.version(subject, version);
            Schema schema = registry.schemaById(registered.id());
            if (connection.json) {
                Output.json(out, Map.of("subject", subject, "version", registered.version(), "id", registered.id(),
                        "schema", Output.JSON.readTree(schema.toString())));
                return 0;
            }
            out.println(subject + " version " + registered.version() + " (id " + registered.id() + "): " + schema.getFullName());
            if (schema.getDoc() != null) {
                out.println("  " + schema.getDoc());
            }
            List<List<String>> rows = new ArrayList<>();
            fields(schema, "", rows);
            Output.table(out, List.of("FIELD", "TYPE", "TAGS", "DOC"), rows);
            return 0;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void fields(Schema record, String prefix, List<List<String>> rows) {
        for (Schema.Field f : record.getFields()) {
            Object tags = f.getObjectProp("confluent:tags");
            rows.add(List.of(prefix + f.name(), SchemaDiff.typeName(f.schema()), tags == null ? "" : tags.toString(),
                    f.doc() == null ? "" : f.doc()));
            Schema inner = f.schema().getType() == Schema.Type.ARRAY ? f.schema().getElementType() : f.schema();
            if (inner.getType() == Schema.Type.RECORD) {
                fields(inner, prefix + f.name() + (f.schema().getType() == Schema.Type.ARRAY ? "[]." : "."), rows);
            }
        }
    }
}
