package dev.mesh.cli;

import dev.mesh.sdk.Product;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.odcs.Odcs;
import dev.mesh.sdk.odcs.OdcsImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code mesh contract export|import}: contracts out of and into the mesh as Open Data Contract Standard documents. */
@Command(name = "contract", mixinStandardHelpOptions = true,
        description = "Contracts as Open Data Contract Standard (ODCS) v3.1.0 documents.",
        subcommands = {ContractCommand.Export.class, ContractCommand.Import.class})
final class ContractCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a product's contract as an ODCS v3.1.0 document (to stdout, or -o).")
    static final class Export implements Callable<Integer> {
        @Parameters(paramLabel = "<product>", description = "Product id (e.g. sales.orders; its latest major) or topic (sales.orders.v1)")
        String product;
        @Option(names = "--format", description = "Only odcs (the default)")
        String format = "odcs";
        @Option(names = {"-o", "--output"}, description = "Write here instead of stdout")
        Path output;
        @Option(names = {"-b", "--bootstrap"}, description = "The Kafka server the document names (default localhost:9092)")
        String bootstrap = "localhost:9092";
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (!format.equalsIgnoreCase("odcs")) {
                throw new IllegalArgumentException("--format " + format + ": only odcs is supported");
            }
            Product<?> handle = Product.all().stream()
                    .filter(p -> p.topic().equals(product) || p.id().toString().equals(product))
                    .max(java.util.Comparator.comparingInt(p -> p.contract().major()))
                    .orElseThrow(() -> new IllegalArgumentException("no product " + product + " in the mesh's schemas"));
            ProductContract c = handle.contract();
            String dir = "/products/" + c.product().domain() + "/" + c.product().name() + "/v" + c.major() + "/";
            String yaml = resource(dir + "contract.yaml");
            String schema = yaml.lines().filter(l -> l.startsWith("schema:")).findFirst().orElseThrow().substring(7).trim();
            String odcs = Odcs.export(c, yaml, resource(dir + schema), bootstrap);
            if (output != null) {
                Files.writeString(output, odcs);
                spec.commandLine().getOut().println("wrote " + output);
            } else {
                spec.commandLine().getOut().print(odcs);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }

        private static String resource(String path) {
            try (InputStream in = ContractCommand.class.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException(path + " is not on the class path");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Create a product folder (contract.yaml and its .avsc) from an ODCS v3 document.")
    static final class Import implements Callable<Integer> {
        @Parameters(paramLabel = "<file>", description = "The ODCS document (.odcs.yaml)")
        Path file;
        @Option(names = "--products", description = "The products folder (default: schemas/products)")
        Path products = Path.of("schemas", "products");
        @Option(names = "--domain", description = "The product's domain, for a document that names none")
        String domain;
        @Option(names = "--name", description = "The product's name (default: the document's dataProduct, else its name)")
        String name;
        @Option(names = "--key", description = "The property that keys the records, for a document with no primaryKey")
        String key;
        @Option(names = "--object", description = "Which schema object becomes the product (default: the first)")
        String object;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            OdcsImport.Imported imported = OdcsImport.into(products, Files.readString(file), file.toString(), new OdcsImport.Options(
                    Optional.ofNullable(domain), Optional.ofNullable(name), Optional.ofNullable(key), Optional.ofNullable(object)));
            imported.notes().forEach(note -> spec.commandLine().getOut().println("note: " + note));
            ProductContract c = imported.contract();
            spec.commandLine().getOut().println("created " + products.resolve(c.product().domain()).resolve(c.product().name())
                    .resolve("v" + c.major()) + " (" + c.product() + " " + c.version() + ")");
            return 0;
        }
    }
}
