package dev.mesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.loader.ContractLoader;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mesh new product}: what it writes loads and compiles, and a mistake leaves nothing behind. */
class NewProductTest {
    private static final Path MESH_PRODUCTS = Path.of("..", "schemas", "products");

    @TempDir
    Path tmp;
    private Path products;

    @BeforeEach
    void copyTheMeshsProducts() throws IOException {
        products = tmp.resolve("products");
        try (Stream<Path> files = Files.walk(MESH_PRODUCTS)) {
            for (Path f : files.toList()) {
                Path target = products.resolve(MESH_PRODUCTS.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    @Test
    void aSourceProductFromFieldsIsADocumentedSchemaAndAContractWithTheMeshsDefaults() throws IOException {
        Run run = mesh("new", "product", "sales.exchanges", "--products", products.toString(),
                "--description", "Items exchanged for another size.", "--field", "exchangeId:string:Unique id.",
                "--field", "orderId:string", "--field", "size:enum(S|M|L)", "--field", "note:string?",
                "--field", "fee:decimal", "--field", "exchangedAt:timestamp");
        assertThat(run.code).as(run.err).isZero();
        Path folder = products.resolve("sales/exchanges/v1");
        assertThat(run.out).contains("wrote " + folder.resolve("Exchange.avsc"), "contract loaded, key exchangeId, topic sales.exchanges.v1",
                "POST /products/exchanges");

        ProductContract c = ContractLoader.load(folder.resolve("contract.yaml"));
        assertThat(c.keyField()).isEqualTo("exchangeId");
        assertThat(c.schema().getFullName()).isEqualTo("dev.mesh.schemas.sales.exchanges.v1.Exchange");
        assertThat(c.schema().getFields()).allSatisfy(f -> assertThat(f.doc()).isNotBlank());
        assertThat(c.schema().getField("exchangeId").doc()).isEqualTo("Unique id.");
        assertThat(c.schema().getField("note").schema().isNullable()).isTrue();
        assertThat(c.schema().getField("fee").schema().getLogicalType().getName()).isEqualTo("decimal");
        assertThat(c.eventTime().field()).contains("exchangedAt");
        assertThat(c.intake().fill()).containsEntry("exchangeId", "e-{uuid}").containsEntry("exchangedAt", "{now}");
        assertThat(c.classification()).isEqualTo(ProductContract.Classification.INTERNAL);
    }

    @Test
    void aSchemaIsInferredFromASampleRecord() throws IOException {
        Path sample = Files.writeString(tmp.resolve("sample.json"), """
                {"refundId": "f-1", "amount": 12.50, "rate": 0.125, "count": 3, "approved": true, "at": "2026-12-01T10:00:00Z",
                 "day": "2026-12-01", "note": null, "address": {"city": "Berlin"}, "lines": [{"sku": "mug", "quantity": 1}]}""");
        Run run = mesh("new", "product", "finance.refunds", "--products", products.toString(), "--from-json", sample.toString());
        assertThat(run.code).as(run.err).isZero();

        Schema s = ContractLoader.load(products.resolve("finance/refunds/v1/contract.yaml")).schema();
        assertThat(s.getName()).isEqualTo("Refund");
        assertThat(s.getField("amount").schema().getLogicalType().getName()).isEqualTo("decimal");
        assertThat(s.getField("rate").schema().getType()).isEqualTo(Schema.Type.DOUBLE);
        assertThat(s.getField("count").schema().getType()).isEqualTo(Schema.Type.LONG);
        assertThat(s.getField("at").schema().getLogicalType().getName()).isEqualTo("timestamp-millis");
        assertThat(s.getField("day").schema().getLogicalType().getName()).isEqualTo("date");
        assertThat(s.getField("note").schema().isNullable()).isTrue();
        assertThat(s.getField("address").schema().getField("city").schema().getType()).isEqualTo(Schema.Type.STRING);
        assertThat(s.getField("lines").schema().getElementType().getField("quantity").schema().getType()).isEqualTo(Schema.Type.LONG);
    }

    @Test
    void aDerivedProductGetsATopologyAndATestThatCompileAgainstItsTypedHandles() throws IOException {
        // finance.refund-rate's handle and classes exist on this classpath: scaffold it afresh and compile what comes out
        deleteTree(products.resolve("finance/refund-rate"));
        Path module = Files.createDirectories(tmp.resolve("domain-finance"));
        Run run = mesh("new", "product", "finance.refund-rate", "--derived", "--inputs", "sales.returns,finance.order-settlements",
                "--products", products.toString(), "--module", module.toString(), "--key", "rateKey",
                "--field", "rateKey:string", "--field", "currency:enum(EUR|USD|GBP)", "--field", "day:date",
                "--field", "paidOrders:long", "--field", "refundedOrders:long", "--field", "refundedAmount:decimal",
                "--field", "refundRate:double");
        assertThat(run.code).as(run.err).isZero();

        ProductContract c = ContractLoader.load(products.resolve("finance/refund-rate/v1/contract.yaml"));
        assertThat(c.inputs()).extracting(v -> v.topic()).containsExactly("sales.returns.v1", "finance.order-settlements.v1");
        assertThat(c.topic().cleanupPolicy()).isEqualTo("compact");
        Path topology = module.resolve("src/main/java/dev/mesh/finance/RefundRateTopology.java");
        Path test = module.resolve("src/test/java/dev/mesh/finance/RefundRateTopologyTest.java");
        assertThat(Files.readString(topology)).contains("implements Derivation<RefundRate>", "return FinanceProducts.REFUND_RATE;",
                "KStream<String, Return> returns = in.stream(SalesProducts.RETURNS);",
                "KTable<String, Settlement> orderSettlements = in.table(FinanceProducts.ORDER_SETTLEMENTS);");
        assertThat(Files.readString(test)).contains("ProductStreams.detached(FinanceProducts.REFUND_RATE)", "TopologyTestDriver");

        StringWriter errors = new StringWriter();
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", testClasspath(), "-proc:none"));
        args.addAll(List.of(topology.toString(), test.toString()));
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, new java.io.OutputStream() {
            @Override
            public void write(int b) {
                errors.write(b);
            }
        }, args.toArray(String[]::new));
        assertThat(compiled).as("javac of the scaffold:\n" + errors).isZero();
    }

    /** README's ten-minute tour scaffolds a source product and a product derived from it: both, in order, as written. */
    @Test
    void theReadmeToursProductsAreScaffoldedAsWritten() throws IOException {
        List<String> tour = DocumentedCommandsTest.readmeCommands(Files.readAllLines(Path.of("..", "README.md"))).stream()
                .filter(c -> c.startsWith("./mesh new product")).toList();
        assertThat(tour).hasSize(2);
        Path module = Files.createDirectories(tmp.resolve("domain-finance"));
        for (String command : tour) {
            List<String> args = new ArrayList<>(DocumentedCommandsTest.words(command));
            args.remove(0);
            args.addAll(List.of("--products", products.toString()));
            if (args.contains("--derived")) {
                args.addAll(List.of("--module", module.toString()));
            }
            Run run = mesh(args.toArray(String[]::new));
            assertThat(run.code).as(command + "\n" + run.err).isZero();
        }
        ProductContract derived = ContractLoader.load(products.resolve("finance/gift-card-liability/v1/contract.yaml"));
        assertThat(derived.inputs()).extracting(v -> v.topic()).containsExactly("sales.gift-cards.v1", "finance.payments.v1");
        assertThat(ContractLoader.load(products.resolve("sales/gift-cards/v1/contract.yaml")).keyField()).isEqualTo("cardId");
    }

    @Test
    void aMistakeIsNamedAndLeavesNothingBehind() throws IOException {
        Run badKey = mesh("new", "product", "sales.swaps", "--products", products.toString(), "--field", "swapId:string",
                "--key", "swapID");
        assertThat(badKey.code).isEqualTo(1);
        assertThat(badKey.err).contains("key 'swapID' is not a field; the fields are [swapId]");
        assertThat(products.resolve("sales/swaps")).doesNotExist();

        assertThat(mesh("new", "product", "sales.swaps", "--products", products.toString(), "--field", "swapId:uuid").err)
                .contains("unknown type 'uuid'");
        assertThat(mesh("new", "product", "sales.orders", "--products", products.toString(), "--field", "orderId:string").err)
                .contains("exists already");
        assertThat(mesh("new", "product", "Sales.x", "--products", products.toString(), "--field", "xId:string").err)
                .contains("lower-case");
        assertThat(mesh("new", "product", "finance.x", "--derived", "--inputs", "sales.nothing", "--products", products.toString(),
                "--field", "xId:string").err).contains("input sales.nothing is not a product");
        assertThat(products.resolve("finance/x")).doesNotExist();
        assertThat(mesh("new", "product", "sales.swaps", "--products", products.toString(), "--from-json",
                tmp.resolve("missing.json").toString()).err).contains("missing.json: no such file");
    }

    private static String testClasspath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null ? surefire : System.getProperty("java.class.path");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    record Run(int code, String out, String err) {
    }

    private static Run mesh(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = MeshCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
