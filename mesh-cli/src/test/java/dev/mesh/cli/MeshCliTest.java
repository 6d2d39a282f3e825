package dev.mesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.ops.RecordReader;
import dev.mesh.sdk.registry.RegisteredSchema;
import dev.mesh.sdk.registry.RegistryClient;
import dev.mesh.sdk.registry.Rule;
import dev.mesh.sdk.registry.RuleSet;
import dev.mesh.sdk.registry.SchemaRequest;
import dev.mesh.testkit.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@code mesh up} in-process with generated traffic, then every ops command against it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeshCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StringWriter upOutput = new StringWriter();
    private Thread up;
    private int upExit = -1;
    private String bootstrap;
    private String registry;
    private String sales;
    private Path credentials;

    @BeforeAll
    void up(@TempDir Path data) {
        // the catalog in this JVM evaluates SLOs and counts usage every 5 s instead of 30, so the tests wait less
        System.setProperty("catalog.slo.period", "5s");
        PrintWriter out = new PrintWriter(upOutput, true);
        up = new Thread(() -> {
            var cli = MeshCli.commandLine();
            cli.setOut(out);
            cli.setErr(out);
            upExit = cli.execute("up", "--data-dir", data.toString(), "--free-ports", "--rate", "10", "--status-interval", "2");
        }, "mesh-up");
        up.start();
        try {
            Await.until(Duration.ofSeconds(120), "mesh up, and its first derived record",
                    () -> upOutput.toString().contains("First derived record") || !up.isAlive());
        } finally {
            System.out.println("mesh up printed:\n" + upOutput);
        }
        assertThat(upOutput.toString()).as("mesh up output").contains("First derived record");
        bootstrap = address("kafka");
        registry = address("registry");
        credentials = data.resolve("credentials");
        sales = address("sales");
    }

    @AfterAll
    void down() throws InterruptedException {
        System.clearProperty("catalog.slo.period");
        UpCommand.stopAll();
        up.join(Duration.ofSeconds(90).toMillis());
        assertThat(up.isAlive()).isFalse();
        assertThat(upExit).isZero();
        assertThat(upOutput.toString()).contains("Stopping the mesh...", "Stopped.");
    }

    private String address(String name) {
        Matcher m = Pattern.compile("(?m)^  " + name + "\\s+(\\S+)$").matcher(upOutput.toString());
        assertThat(m.find()).as("address of " + name + " in:\n" + upOutput).isTrue();
        return m.group(1);
    }

    private dev.mesh.sdk.security.MeshCredentials credentials(String user) {
        return dev.mesh.sdk.security.CredentialStore.at(credentials).find(user).orElseThrow();
    }

    /** The registry as the subject's owner: only its domain may register under it. */
    private RegistryClient registryAs(String user) {
        Map<String, Object> config = new java.util.HashMap<>(credentials(user).registryProperties());
        config.put("schema.registry.url", registry);
        return RegistryClient.create(config);
    }

    private String basicAuth(String user) {
        return credentials(user).basicAuth();
    }

    /** The CLI signed in as {@code user} (its .mesh/credentials/<user>.properties), with the catalog at hand. */
    private CliRun meshAs(String user, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap", bootstrap, "--registry", registry,
                "--config", credentials.resolve(user + ".properties").toString()));
        if (args[0].equals("access") || args[0].equals("tail") || args[0].equals("sql")) {
            all.addAll(List.of("--catalog", address("catalog")));
        }
        return CliRun.of(all);
    }

    /** The seed's marketing question, as README asks it: a table, CSV, JSON lines and a Parquet file a second reader reads. */
    @Test
    void sqlAnswersTheMarketingQuestionInEveryFormat(@TempDir Path out) throws Exception {
        String question = "SELECT o.channel, count(*) AS orders, sum(s.capturedAmount) AS captured, sum(s.refundedAmount) AS refunded"
                + " FROM sales.orders o JOIN finance.order_settlements s USING (orderId) GROUP BY 1 ORDER BY 1";
        Await.until(Duration.ofSeconds(120), "settled orders to query", () -> {
            CliRun r = meshAs("marketing", "sql", question, "--csv");
            return r.exit() == 0 && r.out().lines().count() > 1;
        });
        CliRun table = meshAs("marketing", "sql", question);
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).contains("channel", "orders", "captured", "refunded").containsPattern("\\(\\d+ rows?\\)");
        CliRun csv = meshAs("marketing", "sql", question, "--csv");
        List<String> lines = csv.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("channel,orders,captured,refunded");
        assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(l).matches("(WEB|APP|MARKETPLACE),\\d+,\\d+\\.\\d{2},\\d+\\.\\d{2}"));
        CliRun json = meshAs("marketing", "sql", question, "--json");
        assertThat(json.out().lines().map(l -> {
            try {
                return JSON.readTree(l).path("channel").asText();
            } catch (Exception e) {
                throw new IllegalStateException(l, e);
            }
        }).toList()).isNotEmpty();

        Path file = out.resolve("answer.parquet");
        CliRun parquet = meshAs("marketing", "sql", question, "--parquet", file.toString());
        assertThat(parquet.exit()).as(parquet.err()).isZero();
        try (var duck = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var s = duck.createStatement();
             var r = s.executeQuery("SELECT count(*), sum(orders) FROM read_parquet('" + file + "')")) {
            r.next();
            assertThat(r.getLong(1)).as("rows in the parquet file").isEqualTo(lines.size() - 1);
            assertThat(r.getLong(2)).isPositive();
        }

        // the line README lists among the ops commands, as the admin a local mesh signs in as
        CliRun listed = meshAs("admin", "sql", "SELECT channel, count(*) FROM sales.orders GROUP BY 1");
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("channel", "count_star()");

        CliRun refused = meshAs("marketing", "sql", "SELECT count(*) FROM finance.payments");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("User:marketing may not read finance.payments.v1", "mesh access request finance.payments");
    }

    /**
     * The marketplace from the CLI: finance may not reveal sales.customers' PII until sales approves a request that
     * includes it; the audit trail names each step's principal, and the registry's writes.
     */
    @Test
    void accessRequestedApprovedAndAuditedFromTheCli() throws Exception {
        // finance is no reader of sales.customers: said, with the principal and the request to make, not silence
        for (List<String> tail : List.of(List.of("-n", "1"), List.of("--from-beginning", "-n", "1", "--reveal"))) {
            List<String> args = new ArrayList<>(List.of("tail", "sales.customers"));
            args.addAll(tail);
            CliRun refused = meshAs("finance", args.toArray(String[]::new));
            assertThat(refused.exit()).as(args.toString()).isEqualTo(1);
            assertThat(refused.err()).as(args.toString()).contains("User:finance may not read sales.customers.v1",
                    "mesh access request sales.customers");
        }
        // marketing reads it by contract, but its PII is not marketing's to see
        CliRun masked = meshAs("marketing", "tail", "sales.customers", "--from-beginning", "-n", "1", "--reveal");
        assertThat(masked.exit()).isEqualTo(1);
        assertThat(masked.err()).contains("User:marketing has no grant on sales.customers.v1 that includes PII",
                "mesh access request sales.customers --pii");

        CliRun requested = meshAs("finance", "access", "request", "sales.customers", "--pii", "--reason", "fraud checks", "--json");
        assertThat(requested.exit()).as(requested.err()).isZero();
        String id = requested.json().path("id").asText();
        CliRun notTheirs = meshAs("marketing", "access", "approve", id);
        assertThat(notTheirs.exit()).isEqualTo(1);
        assertThat(notTheirs.err()).contains("User:marketing may not decide on access to sales.customers.v1");
        CliRun approved = meshAs("sales", "access", "approve", id, "--note", "until the audit ends");
        assertThat(approved.exit()).as(approved.err()).isZero();
        assertThat(approved.out()).contains(id, "approved", "User:sales");
        assertThat(meshAs("finance", "access", "list", "--product", "sales.customers").out()).contains(id, "User:finance", "yes", "approved");

        List<JsonNode> revealed = jsonLines(meshAs("finance", "tail", "sales.customers", "--from-beginning", "-n", "2", "--reveal").out());
        assertThat(revealed).isNotEmpty().allSatisfy(r -> assertThat(r.at("/value/email").asText()).contains("@"));

        JsonNode trail = mesh("audit", "--product", "sales.customers", "--json").json();
        List<String> steps = new ArrayList<>();
        trail.forEach(e -> {
            if (id.equals(e.path("details").path("request").asText())) {
                steps.add(e.path("action").asText() + " " + e.path("principal").asText());
            }
        });
        assertThat(steps).containsExactly("access.request User:finance", "access.approve User:sales");
        CliRun all = mesh("audit", "--since", "1h");
        assertThat(all.out()).contains("WHEN", "registry.register", "User:sales", "sales.orders.v2");
        assertThat(meshAs("finance", "audit").exit()).as("a domain does not read the audit trail").isNotZero();
    }

    private CliRun mesh(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap", bootstrap, "--registry", registry,
                "--config", credentials.resolve("admin.properties").toString()));
        return CliRun.of(all);
    }

    @Test
    void upPrintsWhereEverythingListensAndALiveStatusLine() throws Exception {
        assertThat(upOutput.toString()).contains("Mesh up in", "registry", "finance", "marketing", "Ctrl-C stops the mesh.");
        String catalog = address("catalog");
        Await.until(Duration.ofSeconds(60), "the catalog listing sales.orders", () -> {
            try {
                var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(catalog + "/api/products"))
                                .header("Authorization", basicAuth("catalog")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().contains("sales.orders");
            } catch (Exception e) {
                return false;
            }
        });
        var anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(catalog + "/api/products")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as("the catalog asks for a login").isEqualTo(401);
        assertThat(upOutput.toString()).as("mesh up never prints a secret")
                .doesNotContain(credentials("admin").secret(), credentials("sales").secret());
        Await.until(Duration.ofSeconds(30), "a status line", () -> upOutput.toString().contains("| consumer lag"));
        assertThat(upOutput.toString()).containsPattern("sales\\.orders \\d+\\.\\d/s")
                .as("the older major still fed by the bridge, by its topic").containsPattern("sales\\.orders\\.v1 \\d+\\.\\d/s");
    }

    /** On the running mesh: apply makes what the product folders declare, after which plan has nothing to do. */
    @Test
    void applyLeavesNothingForPlanToDo() {
        CliRun first = mesh("plan");
        assertThat(first.exit()).as(first.out() + first.err()).isIn(0, 1);
        CliRun applied = mesh("apply");
        assertThat(applied.exit()).as(applied.out() + applied.err()).isZero();
        CliRun again = mesh("plan");
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("plan: 0 topic and subject changes (0 drift or conflict), 0 ACLs to add");
    }

    @Test
    void productsListsEveryProductAsATableAndAsJson() {
        int all = dev.mesh.sdk.Product.all().size();
        Await.until(Duration.ofSeconds(60), "all " + all + " products in the catalog", () -> mesh("products", "--json").json().size() == all);
        CliRun table = mesh("products");
        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("PRODUCT", "NEWEST / SLO", "sales.orders", "finance.order-settlements.v1", "marketing.campaign-performance",
                "sales.returns", "finance.refund-rate");
        JsonNode json = mesh("products", "--json").json();
        JsonNode orders = find(json, "topic", "sales.orders.v2");
        assertThat(orders.get("owner").asText()).isEqualTo("sales");
        assertThat(orders.get("partitions").asInt()).isEqualTo(6);
        assertThat(orders.get("records").asLong()).isPositive();
        assertThat(orders.get("freshnessBreached").asBoolean()).isFalse();
        JsonNode v1 = find(json, "topic", "sales.orders.v1");
        assertThat(v1.get("records").asLong()).as("v1 fed from v2 by the bridge").isPositive();
        assertThat(v1.toString()).contains("sales.orders.v2", "2027-06-30");
        assertThat(table.out()).contains("sales.orders.v1");
    }

    /**
     * Asked of the catalog (which keeps it measured), mesh products gives the rows Kafka gives; with no catalog where
     * it was told to look (nothing listens there), it asks Kafka.
     */
    @Test
    void productsFromTheCatalogAreTheRowsKafkaGives() {
        String catalog = address("catalog");
        JsonNode direct = mesh("products", "--json").json();
        Await.until(Duration.ofSeconds(60), "the catalog measuring sales.orders' consumers", () ->
                find(mesh("products", "--json", "--catalog", catalog).json(), "topic", "sales.orders.v2").get("consumers").size() >= 2);
        JsonNode viaCatalog = mesh("products", "--json", "--catalog", catalog).json();
        assertThat(viaCatalog.size()).isEqualTo(direct.size());
        for (JsonNode d : direct) {
            JsonNode c = find(viaCatalog, "topic", d.get("topic").asText());
            for (String same : List.of("product", "version", "owner", "topicExists", "partitions", "freshnessSlo")) {
                assertThat(c.get(same)).as("%s of %s", same, d.get("topic").asText()).isEqualTo(d.get(same));
            }
            assertThat(c.get("records").asLong()).as("records of %s", d.get("topic").asText()).isGreaterThanOrEqualTo(d.get("records").asLong());
            assertThat(c.has("successor")).isEqualTo(d.has("successor"));
        }
        assertThat(find(viaCatalog, "topic", "sales.orders.v2").get("consumers").toString()).contains("finance-order-settlements");
        CliRun table = mesh("products", "--catalog", catalog);
        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("PRODUCT", "NEWEST / SLO", "sales.orders");

        JsonNode lagViaCatalog = mesh("lag", "--json", "--catalog", catalog).json();
        assertThat(lagViaCatalog.toString()).contains("finance-order-settlements", "sales.orders.v2");
        CliRun oneGroup = mesh("lag", "finance-order-settlements", "--catalog", catalog);
        assertThat(oneGroup.out()).contains("finance-order-settlements").doesNotContain("marketing-campaign-attribution");
        CliRun asMarketing = meshAs("marketing", "lag", "--json", "--catalog", catalog);
        assertThat(asMarketing.exit()).as("every group's lag is the admins' in the catalog: marketing asks Kafka as itself, "
                + asMarketing.err()).isZero();

        CliRun notHttp = mesh("products", "--catalog", "file:///etc/hostname");
        assertThat(notHttp.exit()).isEqualTo(1);
        assertThat(notHttp.err()).contains("is not an http(s) URL");

        CliRun nothingThere = mesh("products", "--json", "--catalog", "http://127.0.0.1:1");
        assertThat(nothingThere.exit()).as(nothingThere.err()).isZero();
        assertThat(nothingThere.json().size()).isEqualTo(direct.size());
    }

    /**
     * Nobody asked the catalog for a while, so its lags are old: mesh products still gets the consumers of now. The
     * sleep ages the catalog's measurement past its 10 s bound on purpose; it is not a wait for something to happen.
     */
    @Test
    void productsFromTheCatalogAfterAQuietSpellAreMeasuredAgain() throws Exception {
        String catalog = address("catalog");
        mesh("products", "--json", "--catalog", catalog);
        String group = "cli-quiet-" + java.util.UUID.randomUUID();
        Map<String, Object> config = new java.util.HashMap<>(credentials("admin").kafkaProperties());
        config.put("bootstrap.servers", bootstrap);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(config)) {
            admin.alterConsumerGroupOffsets(group, Map.of(new org.apache.kafka.common.TopicPartition("sales.orders.v2", 0),
                    new org.apache.kafka.clients.consumer.OffsetAndMetadata(0))).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        Thread.sleep(11_000);
        JsonNode orders = find(mesh("products", "--json", "--catalog", catalog).json(), "topic", "sales.orders.v2");
        assertThat(orders.get("consumers").toString()).as("the group that began reading while nobody asked").contains(group);
    }

    @Test
    void describeShowsTheContractInputsAndConsumersWithLag() {
        CliRun text = mesh("describe", "finance.order-settlements");
        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("owner", "finance <finance-data@shop.example>", "inputs (upstream): sales.orders.v2, finance.payments.v1",
                "amounts-non-negative", "streams app finance-order-settlements");
        Await.until(Duration.ofSeconds(60), "consumers of sales.orders", () ->
                mesh("describe", "sales.orders", "--json").json().get("consumers").size() >= 3);
        JsonNode json = mesh("describe", "sales.orders", "--json").json();
        assertThat(json.at("/contract/keyField").asText()).isEqualTo("orderId");
        List<String> groups = new ArrayList<>();
        json.get("consumers").forEach(c -> groups.add(c.get("group").asText()));
        assertThat(groups).as("v2, the latest major").contains("finance-payment-provider", "finance-order-settlements", "sales-orders");
        assertThat(json.get("downstream").toString()).contains("finance.order-settlements.v1", "sales.orders.v1");

        // the catalog's answer is the same document, from what it keeps measured
        String catalog = address("catalog");
        Await.until(Duration.ofSeconds(60), "the catalog's lags of sales.orders' readers", () ->
                mesh("describe", "sales.orders", "--json", "--catalog", catalog).json().get("consumers").toString()
                        .matches("(?s)(?=.*finance-payment-provider)(?=.*finance-order-settlements)(?=.*sales-orders).*"));
        JsonNode asked = mesh("describe", "sales.orders", "--json", "--catalog", catalog).json();
        assertThat(asked.get("contract")).isEqualTo(json.get("contract"));
        assertThat(asked.get("schemaVersions")).isEqualTo(json.get("schemaVersions"));
        assertThat(asked.get("downstream")).isEqualTo(json.get("downstream"));
        assertThat(asked.get("deadLetterQueues")).isEqualTo(json.get("deadLetterQueues"));
        assertThat(asked.get("consumers").toString()).contains("finance-payment-provider", "finance-order-settlements", "sales-orders");
        CliRun askedText = mesh("describe", "finance.order-settlements", "--catalog", catalog);
        assertThat(askedText.out()).contains("owner", "finance <finance-data@shop.example>", "inputs (upstream): sales.orders.v2, finance.payments.v1",
                "amounts-non-negative", "streams app finance-order-settlements");
        CliRun unknown = mesh("describe", "nope.nothing", "--catalog", catalog);
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("no product 'nope.nothing'");

        Await.until(Duration.ofSeconds(60), "marketing reading sales.orders.v1",
                () -> mesh("describe", "sales.orders.v1").out().contains("marketing-campaign-attribution"));
        CliRun v1 = mesh("describe", "sales.orders.v1");
        assertThat(v1.out()).contains("Deprecated: use sales.orders.v2, sunset 2027-06-30", "consumers still on it:",
                "marketing-campaign-attribution");
    }

    /**
     * A v2 without its amount would break settlements (on v2) and the bridge; a v1 without totalAmount would break
     * marketing's apps (still on v1): impact names them and their owners.
     */
    /** The catalog's first evaluation comes within its period (5 s here): then mesh slo lists it, breaches first. */
    @Test
    void sloShowsTheCatalogsEvaluationAndWritesPrometheusRules() {
        String catalog = address("catalog");
        JsonNode all = Await.value(Duration.ofSeconds(90), "sales.orders.v2's freshness evaluated", () -> {
            JsonNode answer = mesh("slo", "--json", "--catalog", catalog).json();
            for (JsonNode o : answer.get("objectives")) {
                if (o.get("topic").asText().equals("sales.orders.v2") && o.get("slo").asText().equals("freshness")) {
                    return java.util.Optional.of(answer);
                }
            }
            return java.util.Optional.empty();
        });
        assertThat(all.get("objectives").findValuesAsText("owner")).contains("sales", "finance", "marketing");
        CliRun table = mesh("slo", "--catalog", catalog);
        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("PRODUCT", "STATE", "OBJECTIVE", "sales.orders.v2", "freshness", "300 s");
        CliRun one = mesh("slo", "finance.order-settlements", "--catalog", catalog);
        assertThat(one.out()).contains("finance.order-settlements.v1", "freshness", "60 s").doesNotContain("sales.orders.v2");
        CliRun unknown = mesh("slo", "nope.nothing", "--catalog", catalog);
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("nope.nothing");
        CliRun rules = CliRun.of(List.of("slo", "rules"));
        assertThat(rules.exit()).isZero();
        assertThat(rules.out()).contains("groups:", "alert: MeshFreshnessBreached", "topic: \"sales.orders.v2\"",
                "alert: MeshVolumeBelowMinimum", "alert: MeshDeadLetterRatioBreached", "alert: MeshConsumerLagBreached");
    }

    @Test
    void impactNamesWhatABreakingSchemaWouldBreakAndWhoOwnsIt(@TempDir Path dir) throws Exception {
        Path v2Without = without(dir.resolve("v2.avsc"), "v2", "amount");
        Path v1Without = without(dir.resolve("v1.avsc"), "v1", "totalAmount");
        Await.until(Duration.ofSeconds(60), "settlements reading sales.orders.v2, attribution reading v1",
                () -> mesh("describe", "sales.orders").out().contains("finance-order-settlements")
                        && mesh("describe", "sales.orders.v1").out().contains("marketing-campaign-attribution"));

        CliRun breaking = mesh("impact", "sales.orders", v2Without.toString());
        assertThat(breaking.exit()).as(breaking.out() + breaking.err()).isEqualTo(1);
        assertThat(breaking.out()).contains("BREAKING", "amount", "finance.order-settlements.v1", "finance-order-settlements",
                "finance <finance-data@shop.example>", "sales-orders");
        assertThat(mesh("impact", "sales.orders", v2Without.toString(), "--json").json().path("derived").toString())
                .contains("finance-order-settlements");
        CliRun v1 = mesh("impact", "sales.orders.v1", v1Without.toString());
        assertThat(v1.exit()).as(v1.out() + v1.err()).isEqualTo(1);
        assertThat(v1.out()).contains("BREAKING", "totalAmount", "marketing-campaign-attribution", "marketing <");
        CliRun same = mesh("impact", "sales.orders", Path.of("..", "schemas", "products", "sales", "orders", "v2").toString());
        assertThat(same.exit()).as(same.out() + same.err()).isZero();
        assertThat(same.out()).contains("compatible");
    }

    /** The product's schema in schemas/ with one field left out. */
    private static Path without(Path file, String major, String field) throws Exception {
        org.apache.avro.Schema orders = new org.apache.avro.Schema.Parser().parse(
                Path.of("..", "schemas", "products", "sales", "orders", major, "Order.avsc").toFile());
        List<org.apache.avro.Schema.Field> kept = orders.getFields().stream().filter(f -> !f.name().equals(field))
                .map(f -> new org.apache.avro.Schema.Field(f, f.schema())).toList();
        java.nio.file.Files.writeString(file, org.apache.avro.Schema.createRecord(orders.getName(), orders.getDoc(),
                orders.getNamespace(), false, kept).toString(true));
        return file;
    }

    @Test
    void schemaShowsFieldsAndAFieldLevelDiff() {
        CliRun schema = mesh("schema", "sales.orders.v1");
        assertThat(schema.out()).contains("totalAmount", "decimal(12,2)", "lines[].unitPrice", "channel");
        RegistryClient client = registryAs("marketing");
        String subject = Naming.valueSubject("marketing.campaigns.v1");
        String current = client.latest(subject).schema();
        client.register(subject, SchemaRequest.avro(current.replace("{\"name\":\"endsAt\"",
                "{\"name\":\"objective\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"What it aims at.\"},{\"name\":\"endsAt\"")));
        CliRun diff = mesh("schema", "marketing.campaigns", "--diff", "1", "2");
        assertThat(diff.exit()).isZero();
        assertThat(diff.out()).contains("version 1 -> 2", "+ objective: optional string = null");
        assertThat(mesh("schema", "marketing.campaigns", "--diff", "1", "2", "--json").json().get("changes").get(0).get("kind").asText())
                .isEqualTo("added");
    }

    @Test
    void tailDecodesMasksFiltersAndReadsOnlyTheKeysPartition() throws Exception {
        CliRun orders = mesh("tail", "sales.orders", "--from-beginning", "-n", "3");
        List<JsonNode> lines = jsonLines(orders.out());
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).has("partition")).isTrue();
        assertThat(lines.get(0).at("/value/orderId").asText()).isEqualTo(lines.get(0).get("key").asText());

        String key = lines.get(0).get("key").asText();
        List<JsonNode> byKey = jsonLines(mesh("tail", "sales.orders", "--from-beginning", "--key", key, "-n", "1").out());
        assertThat(byKey).hasSize(1);
        assertThat(byKey.get(0).get("key").asText()).isEqualTo(key);
        assertThat(byKey.get(0).get("partition").asInt()).isEqualTo(RecordReader.partitionFor(key, 6));

        List<JsonNode> big = jsonLines(mesh("tail", "sales.orders", "--from-beginning", "-n", "5", "--filter", "message.amount.value > 100.0").out());
        assertThat(big).isNotEmpty().allSatisfy(r -> assertThat(r.at("/value/amount/value").decimalValue()).isGreaterThan(new java.math.BigDecimal("100")));

        List<JsonNode> masked = jsonLines(mesh("tail", "sales.customers", "--from-beginning", "-n", "2").out());
        assertThat(masked).isNotEmpty().allSatisfy(r -> {
            assertThat(r.at("/value/email").asText()).isEqualTo("***");
            assertThat(r.at("/value/name").asText()).isEqualTo("***");
            assertThat(r.at("/value/country").asText()).hasSize(2);
        });
        List<JsonNode> revealed = jsonLines(mesh("tail", "sales.customers", "--from-beginning", "-n", "2", "--reveal").out());
        assertThat(revealed).allSatisfy(r -> assertThat(r.at("/value/email").asText()).contains("@"));

        // the newest few from this mesh's catalog, without Kafka (nothing listens at the bootstrap given): the same lines, oldest first
        String catalog = address("catalog");
        List<String> noKafka = List.of("--bootstrap", "127.0.0.1:1", "--registry", registry,
                "--config", credentials.resolve("admin.properties").toString(), "--catalog", catalog);
        List<String> newest = new ArrayList<>(List.of("tail", "sales.orders", "-n", "3"));
        newest.addAll(noKafka);
        CliRun fromCatalog = CliRun.of(newest);
        assertThat(fromCatalog.exit()).as(fromCatalog.err()).isZero();
        List<JsonNode> recent = jsonLines(fromCatalog.out());
        assertThat(recent).hasSize(3).allSatisfy(r -> {
            assertThat(r.at("/value/orderId").asText()).isEqualTo(r.get("key").asText());
            assertThat(r.fieldNames()).toIterable().containsExactly("key", "partition", "offset", "timestamp", "value");
        });
        assertThat(java.time.Instant.parse(recent.get(0).get("timestamp").asText()))
                .isBeforeOrEqualTo(java.time.Instant.parse(recent.get(2).get("timestamp").asText()));
        List<String> customers = new ArrayList<>(List.of("tail", "sales.customers", "-n", "2"));
        customers.addAll(noKafka);
        assertThat(jsonLines(CliRun.of(customers).out())).isNotEmpty().allSatisfy(r -> assertThat(r.at("/value/email").asText()).isEqualTo("***"));

        CliRun badFilter = mesh("tail", "sales.orders", "--from-beginning", "-n", "1", "--filter", "message.nope > 1");
        assertThat(badFilter.exit()).isEqualTo(1);
        assertThat(badFilter.err()).contains("nope");
    }

    @Test
    void lagShowsGroupsPerPartitionInRecordsAndTime() {
        Await.until(Duration.ofSeconds(60), "the payment provider's committed offsets",
                () -> mesh("lag", "finance-payment-provider", "--json").exit() == 0);
        CliRun table = mesh("lag");
        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("GROUP", "TIME LAG", "finance-payment-provider", "sales.orders");
        JsonNode json = mesh("lag", "finance-payment-provider", "--json").json();
        assertThat(json.get(0).get("topic").asText()).isEqualTo("sales.orders.v2");
        assertThat(json.get(0).get("partitions").size()).isEqualTo(6);
        CliRun unknown = mesh("lag", "no-such-group");
        assertThat(unknown.exit()).isEqualTo(1);
    }

    @Test
    void dlqRedriveRepublishesWhatPassesAfterAContractFixAndKeepsWhatDoesNot() throws Exception {
        String fixable = "c-redrive-" + System.nanoTime();
        String broken = "c-broken-" + System.nanoTime();
        assertThat(post("/customers", "{\"customerId\":\"" + fixable + "\",\"name\":\"Ann\",\"email\":\"ann@example.com\",\"country\":\"DEU\"}")).isEqualTo(422);
        assertThat(post("/customers", "{\"customerId\":\"" + broken + "\",\"name\":\"Ben\",\"email\":\"no-at-sign\",\"country\":\"DE\"}")).isEqualTo(422);

        CliRun dlq = mesh("dlq", "sales.customers");
        assertThat(dlq.out()).contains(fixable, "country-code", broken, "email-shape", "sales.customers.v1");
        assertThat(dlq.out()).as("PII masked in dead letters too").doesNotContain("ann@example.com");

        // the contract fix: country codes of three letters are accepted now
        RegistryClient client = registryAs("sales");
        String subject = Naming.valueSubject("sales.customers.v1");
        RegisteredSchema latest = client.latest(subject);
        List<Rule> rules = latest.ruleSet().domainRules().stream().map(r -> r.name().equals("country-code")
                ? new Rule(r.name(), r.doc(), r.kind(), r.mode(), r.type(), r.tags(), r.params(), "size(message.country) >= 2",
                r.onSuccess(), r.onFailure(), r.disabled()) : r).toList();
        client.register(subject, new SchemaRequest(latest.schema(), null, null, latest.metadata(), new RuleSet(null, rules)));

        CliRun redrive = mesh("dlq", "sales.customers", "--redrive");
        assertThat(redrive.exit()).as(redrive.out() + redrive.err()).isEqualTo(3);
        assertThat(redrive.out()).contains("republished 1 record(s)", fixable + " -> sales.customers.v1", "still failing: 1",
                broken + ": rule email-shape");
        List<JsonNode> republished = jsonLines(mesh("tail", "sales.customers", "--from-beginning", "--key", fixable, "-n", "1").out());
        assertThat(republished.get(0).at("/value/country").asText()).isEqualTo("DEU");
        CliRun after = mesh("dlq", "sales.customers", "--json");
        assertThat(after.json().get("records").toString()).contains(broken).doesNotContain(fixable);
        assertThat(mesh("audit", "--product", "sales.customers", "--json").json().toString())
                .as("the redrive in the audit trail").contains("\"action\":\"dlq.redrive\"", "\"principal\":\"User:admin\"", "\"republished\":1");
    }

    /** Garbage written straight to sales.orders is refused by the Streams apps that read it: dlq and products show it. */
    @Test
    void deadLettersOfConsumersAndStreamsAppsAreListedWithTheProduct() throws Exception {
        String key = "garbage-" + System.nanoTime();
        // a buggy producer of the owner's: only sales may write sales.orders
        java.util.Map<String, Object> salesClient = new java.util.HashMap<>(credentials("sales").kafkaProperties());
        salesClient.put("bootstrap.servers", bootstrap);
        try (var raw = new org.apache.kafka.clients.producer.KafkaProducer<>(salesClient, new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            raw.send(new org.apache.kafka.clients.producer.ProducerRecord<>("sales.orders.v2", key,
                    "not avro at all".getBytes(java.nio.charset.StandardCharsets.UTF_8))).get();
        }
        Await.until(Duration.ofSeconds(90), "the garbage in the settlements app's DLQ, listed by mesh dlq",
                () -> mesh("dlq", "sales.orders").out().contains(key));
        CliRun dlq = mesh("dlq", "sales.orders");
        assertThat(dlq.out()).contains("finance-order-settlements.dlq (refused by streams app finance-order-settlements)",
                "sales.orders.v2.dlq (refused by publisher)", "decode");
        JsonNode json = mesh("dlq", "sales.orders", "--json").json();
        assertThat(json.get("records").toString()).contains(key, "streams app finance-order-settlements");
        // the catalog's answer, for the owner and admins: the same queues and letters
        String catalog = address("catalog");
        CliRun asked = mesh("dlq", "sales.orders", "--catalog", catalog);
        assertThat(asked.out()).contains("finance-order-settlements.dlq (refused by streams app finance-order-settlements)",
                "sales.orders.v2.dlq (refused by publisher)", key);
        JsonNode askedJson = mesh("dlq", "sales.orders", "--json", "--catalog", catalog).json();
        assertThat(askedJson.get("queues")).isEqualTo(json.get("queues"));
        assertThat(askedJson.get("records").toString()).contains(key, "streams app finance-order-settlements");
        Await.until(Duration.ofSeconds(30), "mesh products counting it", () ->
                find(mesh("products", "--json").json(), "topic", "sales.orders.v2").path("deadLetters").asLong() > 0);
    }

    @Test
    void lineageReachesAcrossThreeDomains() {
        CliRun text = mesh("lineage", "marketing.campaign-performance");
        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("marketing.campaign-performance.v1", "finance.order-settlements.v1", "sales.orders.v1",
                "via marketing-campaign-performance", "[finance]");
        JsonNode json = mesh("lineage", "sales.orders", "--json").json();
        assertThat(json.get("downstream").toString()).contains("marketing.campaign-performance.v1");
    }

    /** Usage from the catalog: the readers of sales.orders with what they read, and a span that is not one refused. */
    @Test
    void usageListsWhoReadsWhatFromTheCatalog() {
        String catalog = address("catalog");
        JsonNode orders = Await.value(Duration.ofSeconds(120), "finance charged for reading sales.orders.v2", () -> {
            for (JsonNode p : mesh("usage", "sales.orders", "--json", "--catalog", catalog).json().get("products")) {
                for (JsonNode r : p.get("readers")) {
                    if (r.get("group").asText().equals("finance-order-settlements") && r.get("records").asLong() > 0) {
                        return java.util.Optional.of(p);
                    }
                }
            }
            return java.util.Optional.empty();
        });
        assertThat(orders.get("topic").asText()).isEqualTo("sales.orders.v2");
        assertThat(orders.get("idle").asBoolean()).isFalse();
        CliRun table = mesh("usage", "--catalog", catalog);
        assertThat(table.out()).contains("PRODUCT", "GROUP", "RECORDS", "BYTES", "sales.orders.v2", "finance-order-settlements", "finance");
        CliRun wrong = mesh("usage", "--since", "often", "--catalog", catalog);
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("since");
    }

    /** A job nobody here wrote, posted by OpenLineage's stock HTTP transport to the catalog, shows in mesh lineage. */
    @Test
    void lineageShowsAJobReportedByOpenLineage() throws Exception {
        String catalog = address("catalog");
        io.openlineage.client.transports.HttpConfig config = new io.openlineage.client.transports.HttpConfig();
        config.setUrl(URI.create(catalog));
        config.setEndpoint("/api/v1/lineage");
        config.setHeaders(Map.of("Authorization", basicAuth("marketing")));
        var ol = new io.openlineage.client.OpenLineage(URI.create("https://example.com/airflow"));
        try (var client = new io.openlineage.client.OpenLineageClient(new io.openlineage.client.transports.HttpTransport(config))) {
            client.emit(ol.newRunEventBuilder().eventType(io.openlineage.client.OpenLineage.RunEvent.EventType.COMPLETE)
                    .eventTime(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC))
                    .run(ol.newRunBuilder().runId(java.util.UUID.randomUUID()).build())
                    .job(ol.newJobBuilder().namespace("airflow").name("campaign-report").build())
                    .inputs(List.of(ol.newInputDatasetBuilder().namespace("kafka://" + bootstrap).name("marketing.campaign-performance.v1").build()))
                    .outputs(List.of(ol.newOutputDatasetBuilder().namespace("postgres://bi:5432").name("reports.campaigns").build()))
                    .build());
        }
        CliRun text = Await.value(Duration.ofSeconds(30), "the reported job in mesh lineage", () -> {
            CliRun run = mesh("lineage", "marketing.campaign-performance", "--catalog", catalog);
            return run.out().contains("airflow/campaign-report") ? java.util.Optional.of(run) : java.util.Optional.empty();
        });
        assertThat(text.out()).contains("jobs reported by OpenLineage:", "airflow/campaign-report  [reported by marketing]",
                "reads  marketing.campaign-performance.v1", "writes postgres://bi:5432/reports.campaigns");
    }

    @Test
    void everyCommandHasHelpAndFailuresExitNonZero() {
        for (String command : List.of("up", "products", "describe", "schema", "tail", "lag", "dlq", "lineage")) {
            var cli = MeshCli.commandLine();
            StringWriter out = new StringWriter();
            cli.setOut(new PrintWriter(out, true));
            assertThat(cli.execute(command, "--help")).isZero();
            assertThat(out.toString()).contains("Usage: mesh " + command);
        }
        CliRun unknown = mesh("describe", "nope.nothing");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("no product 'nope.nothing'");
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.get(field).asText())) {
                return n;
            }
        }
        throw new AssertionError(value + " not in " + array);
    }

    private static List<JsonNode> jsonLines(String out) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private int post(String path, String body) throws Exception {
        return send(sales, "sales", path, body).statusCode();
    }

    private HttpResponse<String> send(String service, String user, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(service + path))
                .header("Content-Type", "application/json").header("Authorization", basicAuth(user))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The fourth domain, made only as a folder and a module (mesh new domain): mesh up runs it, and its derived
     * product holds exactly what records posted through the intakes imply, read by key by marketing, its reader.
     */
    @Test
    void productdevRunsFromItsFolderAndItsSkuHealthIsWhatTheRecordsImply() throws Exception {
        String productdev = address("productdev");
        String sku = dev.mesh.testkit.TestKafka.uniqueName("sku");
        String order = "o-" + sku;
        assertThat(post("/products/orders-v2", "{\"orderId\":\"" + order + "\",\"customerId\":\"c-1\",\"amount\":{\"value\":\"20.00\","
                + "\"currency\":\"EUR\"},\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":2,\"unitPrice\":10.0}]}")).isEqualTo(202);
        // the return is joined with its order: it is posted once the order is counted
        Await.until(Duration.ofSeconds(60), sku + " counted once ordered", () -> skuHealth(productdev, sku).path("orders").asLong() == 1);
        assertThat(post("/products/returns", "{\"orderId\":\"" + order + "\",\"currency\":\"EUR\",\"refundAmount\":20.0,"
                + "\"reason\":\"DAMAGED\"}")).isEqualTo(202);
        for (int stars : new int[] {5, 2}) {
            assertThat(send(productdev, "productdev", "/products/feedback", "{\"customerId\":\"c-1\",\"sku\":\"" + sku
                    + "\",\"rating\":" + stars + ",\"text\":\"my words\"}").statusCode()).isEqualTo(202);
        }
        assertThat(send(productdev, "productdev", "/products/feedback", "{\"customerId\":\"c-1\",\"sku\":\"" + sku
                + "\",\"rating\":9,\"text\":\"nine stars\"}").statusCode()).as("a rating out of 1..5 breaks its rule").isEqualTo(422);
        Await.until(Duration.ofSeconds(60), sku + " with its return and two ratings",
                () -> skuHealth(productdev, sku).path("ratings").asLong() == 2 && skuHealth(productdev, sku).path("returns").asLong() == 1);
        JsonNode health = skuHealth(productdev, sku);
        assertThat(health.path("orders").asLong()).isEqualTo(1);
        assertThat(health.path("ratingTotal").asLong()).isEqualTo(7);
        assertThat(health.path("averageRating").asDouble()).isEqualTo(3.5);
        assertThat(health.path("refundShare").asDouble()).isEqualTo(1.0);
        // and its generated traffic flows: feedback follows the generated orders
        assertThat(Await.value(Duration.ofSeconds(60), "generated feedback", () -> {
            CliRun tail = meshAs("productdev", "tail", "productdev.feedback", "--from-beginning", "-n", "1");
            return tail.exit() == 0 && tail.out().contains("feedbackId") ? java.util.Optional.of(tail.out()) : java.util.Optional.empty();
        })).contains("sku");
    }

    /** productdev.sku-health's record of {@code sku}, read by key on the productdev service as marketing. */
    private JsonNode skuHealth(String productdev, String sku) {
        try {
            var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(productdev + "/products/sku-health/" + sku))
                    .header("Authorization", basicAuth("marketing")).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
