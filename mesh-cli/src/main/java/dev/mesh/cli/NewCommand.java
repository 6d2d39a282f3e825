package dev.mesh.cli;

import dev.mesh.cli.scaffold.FieldSpec;
import dev.mesh.cli.scaffold.ProductScaffold;
import dev.mesh.cli.scaffold.SchemaInference;
import dev.mesh.sdk.contract.ProductId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code mesh new product} and {@code mesh new domain}: scaffold a data product or a domain, valid from its first minute. */
@Command(name = "new", mixinStandardHelpOptions = true, header = "Scaffold something new in the mesh.",
        description = "Scaffold something new in the mesh.", subcommands = {NewCommand.NewProduct.class, NewCommand.NewDomain.class})
final class NewCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "product", mixinStandardHelpOptions = true, header = "Scaffold a data product: schema, contract, and for a derived one its topology and test.",
            description = {"Writes schemas/products/<domain>/<name>/v1/ with a documented Avro schema (from --field flags, or"
                    + " inferred from a sample record with --from-json) and a contract with the mesh's defaults, and loads it"
                    + " through the contract loader. A source product is then accepted at POST /products/<name> by its"
                    + " domain's service. With --derived --inputs a,b it also writes a topology class and its"
                    + " TopologyTestDriver test into the domain's module (domain-<domain>). Rebuild to get its typed handle."},
            footer = {"", "Examples:",
                    "  mesh new product sales.returns --field returnId:string \\",
                    "      --field orderId:string --field 'reason:enum(DAMAGED|WRONG_ITEM)' \\",
                    "      --field refundAmount:decimal --field returnedAt:timestamp",
                    "  mesh new product sales.returns --from-json sample-return.json",
                    "  mesh new product finance.refund-rate --derived \\",
                    "      --inputs sales.returns,finance.order-settlements \\",
                    "      --field rateKey:string --field refundedOrders:long --field paidOrders:long"})
    static final class NewProduct implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "<domain>.<name>", description = "The product's id, e.g. sales.returns")
        String id;
        @Option(names = "--field", paramLabel = "name:type[:doc]", description = "A field; type is one of ${COMPLETION-CANDIDATES}",
                completionCandidates = Types.class)
        List<String> fields = new ArrayList<>();
        @Option(names = "--from-json", paramLabel = "FILE", description = "Infer the schema from this sample JSON record")
        Path fromJson;
        @Option(names = "--key", description = "The key field (default: <record>Id, else the first field ending in Id)")
        String key;
        @Option(names = "--description", description = "What the product is, in a sentence")
        String description;
        @Option(names = "--classification", description = "public, internal, confidential or restricted (default internal)")
        String classification = "internal";
        @Option(names = "--derived", description = "A derived product, computed by a Streams app from --inputs")
        boolean derived;
        @Option(names = "--inputs", split = ",", paramLabel = "PRODUCT", description = "The products a derived product reads")
        List<String> inputs = new ArrayList<>();
        @Option(names = "--products", description = "The products folder (default schemas/products)")
        Path products = Path.of("schemas", "products");
        @Option(names = "--module", description = "The domain's module for a derived product's topology (default domain-<domain>)")
        Path module;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            ProductId productId = ProductId.parse(id);
            if (derived == inputs.isEmpty()) {
                throw new IllegalArgumentException(derived ? "--derived needs --inputs, the products it reads"
                        : "--inputs is for a derived product: add --derived");
            }
            if ((fromJson == null) == fields.isEmpty()) {
                throw new IllegalArgumentException("give the fields with --field name:type, or a sample with --from-json, not both");
            }
            if (fromJson != null && !Files.isRegularFile(fromJson)) {
                throw new IllegalArgumentException("--from-json " + fromJson + ": no such file");
            }
            var schema = fromJson != null
                    ? SchemaInference.fromSample(Files.readString(fromJson), ProductScaffold.recordName(productId),
                    ProductScaffold.namespace(productId, 1))
                    : ProductScaffold.schemaFromFields(fields.stream().map(FieldSpec::parse).toList());
            String what = description != null ? description : "TODO: what " + productId + " is, in a sentence.";
            var result = ProductScaffold.write(new ProductScaffold.Request(products, productId, schema, Optional.ofNullable(key),
                    what, classification, inputs.stream().map(ProductId::parse).toList(),
                    Optional.of(module != null ? module : Path.of("domain-" + productId.domain()))));
            result.files().forEach(f -> out.println("wrote " + f));
            out.println(productId + " v1: contract loaded, key " + result.contract().keyField() + ", topic " + result.contract().topicName());
            out.println(derived ? "next: write the topology, make its test pass, then ./mvnw -q install -pl schemas -am"
                    : "next: ./mvnw -q install -pl schemas -am; the " + productId.domain() + " service then accepts POST /products/"
                    + productId.name());
            return 0;
        }
    }

    @Command(name = "domain", mixinStandardHelpOptions = true, header = "Scaffold a domain: its folder, its module and its services in compose.",
            description = {"Writes schemas/products/<name>/domain.yaml (title, owner, port) and a module domain-<name> for its"
                    + " derivations, lookups and generators; adds the module to the build and to the domains the mesh runs,"
                    + " and its two services to docker-compose.yml. Its principal, credentials, ACLs and service follow from the"
                    + " folder: `mesh up` runs it once it has a product (mesh new product <name>.<product>)."},
            footer = {"", "Example:",
                    "  mesh new domain productdev --title 'Product Development' \\",
                    "      --owner productdev --contact productdev-data@shop.example"})
    static final class NewDomain implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "<name>", description = "The domain's name: lower-case letters and digits, e.g. productdev")
        String name;
        @Option(names = "--title", required = true, description = "Its name for people, e.g. 'Product Development'")
        String title;
        @Option(names = "--description", description = "What the domain does, in a sentence")
        String description;
        @Option(names = "--owner", required = true, description = "The team that owns it")
        String owner;
        @Option(names = "--contact", required = true, description = "How to reach that team, e.g. an e-mail address")
        String contact;
        @Option(names = "--port", description = "Its service's port (default: the one after every domain's)")
        Integer port;
        @Option(names = "--root", description = "The checkout to write into (default: this directory)")
        Path root = Path.of(".");

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            int p = port != null ? port : dev.mesh.cli.scaffold.DomainScaffold.nextPort(root);
            String what = description != null ? description : "TODO: what " + title + " does, in a sentence.";
            dev.mesh.cli.scaffold.DomainScaffold.write(new dev.mesh.cli.scaffold.DomainScaffold.Request(root, name, title, what, owner, contact, p))
                    .forEach(f -> out.println("wrote " + f));
            out.println("domain " + name + ": service on port " + p + " (and " + (p + 100) + " for a second instance in compose)");
            out.println("next: mesh new product " + name + ".<product> ..., then ./mvnw -q install -DskipTests; ./mesh up runs it");
            return 0;
        }
    }

    static final class Types extends ArrayList<String> {
        Types() {
            super(FieldSpec.TYPES);
        }
    }
}
