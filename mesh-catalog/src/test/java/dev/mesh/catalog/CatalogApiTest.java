package dev.mesh.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.testkit.Await;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON API over HTTP, against a running mesh with generated traffic. */
@ExtendWith(RunningCatalog.Extension.class)
class CatalogApiTest {
    private static final List<String> DOMAIN_PRODUCTS = List.of("sales.orders", "sales.customers", "finance.payments",
            "finance.order-settlements", "finance.revenue-daily", "marketing.campaigns", "marketing.campaign-touches",
            "marketing.campaign-attribution", "marketing.campaign-performance");

    private static RunningCatalog catalog;

    @BeforeAll
    static void start(RunningCatalog running) {
        catalog = running;
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static List<String> ids(JsonNode products) {
        return list(products).stream().map(p -> p.path("id").asText()).toList();
    }

    @Test
    void productsListsEveryProductWithOwnerFreshnessAndConsumers() {
        JsonNode products = catalog.api("/api/products");
        assertThat(ids(products)).containsAll(DOMAIN_PRODUCTS).contains(RunningCatalog.WIDGETS, RunningCatalog.GHOST);
        JsonNode orders = catalog.listed("sales.orders.v2").orElseThrow();
        assertThat(orders.path("owner").asText()).isEqualTo("sales");
        assertThat(orders.path("freshness").path("status").asText()).isEqualTo("fresh");
        assertThat(orders.path("freshness").path("sloSeconds").asLong()).isEqualTo(300);
        assertThat(orders.path("consumers").asInt()).isPositive();
        assertThat(orders.path("url").asText()).as("the latest major").isEqualTo("/products/sales.orders");
        JsonNode v1 = catalog.listed("sales.orders.v1").orElseThrow();
        assertThat(v1.path("url").asText()).isEqualTo("/products/sales.orders.v1");
        assertThat(v1.path("freshness").path("status").asText()).as("fed by the migration bridge").isEqualTo("fresh");
        assertThat(v1.path("derived").asBoolean()).as("bridged, not derived").isFalse();
        assertThat(v1.path("successor").asText()).isEqualTo("sales.orders.v2");
        assertThat(catalog.listed("finance.order-settlements.v1").orElseThrow().path("derived").asBoolean()).isTrue();
        assertThat(catalog.listed(RunningCatalog.GHOST).orElseThrow().path("freshness").path("status").asText())
                .isEqualTo("topic-missing");
        assertThat(catalog.listed(RunningCatalog.WIDGETS).orElseThrow().path("deadLetters").asLong()).isEqualTo(1);
    }

    @Test
    void productsFilterByDomainClassificationAndTag() {
        assertThat(ids(catalog.api("/api/products?domain=finance")))
                .containsExactlyInAnyOrder("finance.payments", "finance.order-settlements", "finance.revenue-daily",
                        "finance.refund-rate");
        assertThat(ids(catalog.api("/api/products?tag=widgets"))).containsExactly(RunningCatalog.WIDGETS);
        List<JsonNode> internal = list(catalog.api("/api/products?classification=internal"));
        assertThat(internal).isNotEmpty().allSatisfy(p -> assertThat(p.path("classification").asText()).isEqualTo("internal"));
        assertThat(ids(catalog.api("/api/products?domain=nowhere"))).isEmpty();
    }

    @Test
    void searchFindsProductsByFieldNameFieldDocTagOwnerAndDescription() {
        JsonNode byField = catalog.api("/api/search?q=unitPrice");
        JsonNode first = byField.path("results").get(0);
        assertThat(first.path("product").path("id").asText()).isEqualTo("sales.orders");
        assertThat(list(first.path("matches"))).anySatisfy(m -> {
            assertThat(m.path("in").asText()).isEqualTo("field");
            assertThat(m.path("text").asText()).isEqualTo("lines[].unitPrice");
        });
        assertThat(first.path("product").path("freshness").path("status").asText()).isEqualTo("fresh");
        assertThat(first.path("product").path("consumers").asInt()).isPositive();

        assertThat(ids(results(catalog.api("/api/search?q=email")))).contains("sales.customers");
        assertThat(ids(results(catalog.api("/api/search?q=paint")))).containsExactly(RunningCatalog.WIDGETS);
        assertThat(ids(results(catalog.api("/api/search?q=marketing-data")))).contains("marketing.campaign-performance")
                .doesNotContain("sales.orders");
        assertThat(ids(results(catalog.api("/api/search?q=ad%20spend")))).contains("marketing.campaign-performance");
        assertThat(ids(results(catalog.api("/api/search?q=orderId&domain=marketing"))))
                .isNotEmpty().allSatisfy(id -> assertThat(id).startsWith("marketing."));
        assertThat(results(catalog.api("/api/search?q=unitPrice%20nosuchword"))).isEmpty();

        JsonNode facets = byField.path("facets");
        assertThat(list(facets.path("domains")).stream().map(JsonNode::asText)).contains("sales", "finance", "marketing", "qa");
        assertThat(list(facets.path("tags")).stream().map(JsonNode::asText)).contains("orders", "widgets");
    }

    private static JsonNode results(JsonNode answer) {
        JsonNode products = RunningCatalog.json("[]");
        var array = (com.fasterxml.jackson.databind.node.ArrayNode) products;
        answer.path("results").forEach(r -> array.add(r.path("product")));
        return array;
    }

    @Test
    void productShowsContractSchemaConsumersAndHowToConsume() {
        JsonNode latest = catalog.api("/api/products/sales.orders");
        assertThat(latest.path("topic").asText()).isEqualTo("sales.orders.v2");
        assertThat(latest.path("schema").path("name").asText()).isEqualTo("dev.mesh.schemas.sales.orders.v2.Order");
        assertThat(list(latest.path("downstream")).stream().map(d -> d.path("id").asText()))
                .as("finance reads v2; v1 is fed from it").contains("finance.order-settlements", "sales.orders");

        JsonNode p = catalog.api("/api/products/sales.orders.v1");
        assertThat(p.path("topic").asText()).isEqualTo("sales.orders.v1");
        assertThat(p.path("subject").asText()).isEqualTo("sales.orders.v1-value");
        assertThat(p.path("owner").path("team").asText()).isEqualTo("sales");
        assertThat(p.path("owner").path("contact").asText()).isEqualTo("sales-data@shop.example");
        assertThat(p.path("key").asText()).isEqualTo("orderId");
        assertThat(p.path("classification").asText()).isEqualTo("internal");
        assertThat(p.path("slo").path("freshness").asText()).isEqualTo("PT5M");
        assertThat(list(p.path("quality")).stream().map(r -> r.path("name").asText()))
                .containsExactly("positive-total", "has-lines", "positive-quantities");
        assertThat(list(p.path("missing"))).isEmpty();
        assertThat(p.path("status").path("topicExists").asBoolean()).isTrue();
        assertThat(p.path("status").path("records").asLong()).isPositive();
        assertThat(p.path("status").path("partitions").asInt()).isEqualTo(6);
        assertThat(list(p.path("downstream")).stream().map(d -> d.path("id").asText()))
                .contains("marketing.campaign-attribution").doesNotContain("finance.order-settlements");

        JsonNode unitPrice = field(p, "lines[].unitPrice");
        assertThat(unitPrice.path("type").asText()).isEqualTo("decimal(12,2)");
        assertThat(unitPrice.path("doc").asText()).isEqualTo("Price of one unit.");
        assertThat(unitPrice.path("depth").asInt()).isEqualTo(1);
        assertThat(field(p, "channel").path("defaultValue").asText()).isEqualTo("WEB");
        assertThat(p.path("schema").path("name").asText()).isEqualTo("dev.mesh.schemas.sales.orders.v1.Order");
        assertThat(list(p.path("versions"))).isNotEmpty();

        JsonNode consumers = Await.value(Duration.ofSeconds(30), "a consumer of sales.orders with committed offsets", () -> {
            JsonNode c = catalog.api("/api/products/sales.orders.v1").path("consumers");
            return list(c).stream().anyMatch(x -> x.hasNonNull("lagRecords")) ? java.util.Optional.of(c) : java.util.Optional.empty();
        });
        assertThat(list(consumers)).allSatisfy(c -> {
            assertThat(c.path("group").asText()).isNotBlank();
            assertThat(c.path("kind").asText()).isIn("streams", "subscriber");
        });

        JsonNode how = p.path("howToConsume");
        assertThat(how.path("topic").asText()).isEqualTo("sales.orders.v1");
        assertThat(how.path("kcat").asText()).contains("-t sales.orders.v1", "-s value=avro -r " + catalog.registryUrl().replace("://", "://$LOGIN@"), "librdkafka >= 2.6.1",
                "-b " + catalog.bootstrapServers());
        assertThat(how.path("sdk").asText()).contains("ContractLoader.loadResource(\"/products/sales/orders/v1/contract.yaml\")",
                "Subscriber<Order>", "Order.class", catalog.registryUrl());

        assertThat(catalog.api("/api/products/sales.orders.v1").path("id").asText()).isEqualTo("sales.orders");
    }

    private static JsonNode field(JsonNode product, String path) {
        return list(product.path("schema").path("fields")).stream().filter(f -> f.path("path").asText().equals(path))
                .findFirst().orElseThrow(() -> new AssertionError("no field " + path + " in " + product.path("schema")));
    }

    @Test
    void piiFieldsAreTaggedInTheSchemaAndMaskedInRecords() {
        JsonNode customers = catalog.api("/api/products/sales.customers");
        assertThat(field(customers, "email").path("pii").asBoolean()).isTrue();
        assertThat(list(field(customers, "email").path("tags")).stream().map(JsonNode::asText)).containsExactly("PII");
        assertThat(field(customers, "country").path("pii").asBoolean()).isFalse();

        JsonNode records = catalog.api("/api/products/sales.customers/records?limit=5");
        assertThat(records.path("piiMasked").asBoolean()).isTrue();
        assertThat(list(records.path("records"))).isNotEmpty().hasSizeLessThanOrEqualTo(5).allSatisfy(r -> {
            assertThat(r.path("value").path("email").asText()).isEqualTo("***");
            assertThat(r.path("value").path("name").asText()).isEqualTo("***");
            assertThat(r.path("value").path("customerId").asText()).isEqualTo(r.path("key").asText()).isNotEqualTo("***");
        });

        List<JsonNode> newest = list(catalog.api("/api/products/sales.customers/records?limit=12").path("records"));
        assertThat(newest).hasSize(12);
        assertThat(newest.stream().map(r -> r.path("partition").asInt()).distinct().count())
                .as("the newest records of all partitions, not the tail of one").isGreaterThan(1);
        List<String> times = newest.stream().map(r -> r.path("timestamp").asText()).toList();
        assertThat(times).isSortedAccordingTo(java.util.Comparator.comparing(java.time.Instant::parse).reversed());
    }

    @Test
    void schemaDiffComparesAnyTwoVersions() {
        JsonNode latest = catalog.api("/api/products/qa.widgets/schema");
        assertThat(latest.path("from").path("version").asInt()).isEqualTo(1);
        assertThat(latest.path("to").path("version").asInt()).isEqualTo(2);
        assertThat(latest.path("to").path("contractVersion").asText()).isEqualTo("1.1.0");
        assertThat(list(latest.path("changes"))).singleElement().satisfies(c -> {
            assertThat(c.path("kind").asText()).isEqualTo("added");
            assertThat(c.path("field").asText()).isEqualTo("color");
            assertThat(c.path("text").asText()).isEqualTo("+ color: optional string = null");
        });
        JsonNode backwards = catalog.api("/api/products/qa.widgets/schema?from=2&to=1");
        assertThat(list(backwards.path("changes"))).singleElement()
                .satisfies(c -> assertThat(c.path("kind").asText()).isEqualTo("removed"));
        assertThat(list(catalog.api("/api/products/qa.widgets/schema?from=2&to=2").path("changes"))).isEmpty();

        HttpResponse<String> noSuchVersion = catalog.get("/api/products/qa.widgets/schema?from=1&to=9");
        assertThat(noSuchVersion.statusCode()).isEqualTo(404);
        assertThat(RunningCatalog.json(noSuchVersion.body()).path("message").asText()).contains("no version 9");

        assertThat(catalog.api("/api/products/qa.widgets").path("deprecation").asText())
                .as("a deprecated major names its successor and the days left")
                .contains("use qa.widgets.v2", "sunset 2099-12-31", "days left");
        assertThat(catalog.api("/api/products/sales.orders").path("deprecation").isNull()).isTrue();
        assertThat(list(catalog.api("/api/products/qa.widgets").path("versions")).stream()
                .map(v -> v.path("contractVersion").asText())).containsExactly("1.0.0", "1.1.0");
    }

    @Test
    void throughputCountsTheLastHourInFiveMinuteBuckets() {
        JsonNode t = catalog.api("/api/products/sales.orders/throughput");
        assertThat(t.path("topicExists").asBoolean()).isTrue();
        assertThat(t.path("bucketSeconds").asLong()).isEqualTo(300);
        List<JsonNode> buckets = list(t.path("buckets"));
        assertThat(buckets).hasSize(12);
        assertThat(buckets.get(11).path("records").asLong()).isPositive();
        assertThat(buckets.get(0).path("records").asLong()).isZero();
        assertThat(t.path("total").asLong()).isEqualTo(buckets.stream().mapToLong(b -> b.path("records").asLong()).sum());

        JsonNode widgets = catalog.api("/api/products/qa.widgets/throughput");
        assertThat(widgets.path("total").asLong()).isEqualTo(2);
    }

    @Test
    void qualityCountsDeadLettersPerRuleOverTime() {
        JsonNode q = catalog.api("/api/products/qa.widgets/quality");
        assertThat(q.path("dlqTopic").asText()).isEqualTo("qa.widgets.v1.dlq");
        assertThat(q.path("total").asLong()).isEqualTo(1);
        int buckets = q.path("bucketStarts").size();
        assertThat(buckets).isEqualTo(24);
        JsonNode positivePrice = list(q.path("rules")).stream().filter(r -> r.path("rule").asText().equals("positive-price"))
                .findFirst().orElseThrow();
        assertThat(positivePrice.path("total").asLong()).isEqualTo(1);
        assertThat(positivePrice.path("counts").get(buckets - 1).asLong()).isEqualTo(1);
        assertThat(positivePrice.path("inContract").asBoolean()).isTrue();
        JsonNode hasName = list(q.path("rules")).stream().filter(r -> r.path("rule").asText().equals("has-name"))
                .findFirst().orElseThrow();
        assertThat(hasName.path("total").asLong()).isZero();

        assertThat(catalog.api("/api/products/sales.orders/quality").path("total").asLong()).isZero();
    }

    @Test
    void lineageOfTheWholeMeshLinksProductsThroughTheirApps() {
        JsonNode graph = catalog.api("/api/lineage");
        Set<String> nodes = new HashSet<>();
        graph.path("nodes").forEach(n -> nodes.add(n.path("id").asText()));
        assertThat(nodes).contains("sales.orders.v1", "finance.order-settlements.v1", "marketing.campaign-performance.v1",
                "qa.widgets.v1");
        assertThat(list(graph.path("nodes")).stream().filter(n -> n.path("kind").asText().equals("app"))).isNotEmpty();
        assertThat(reaches(graph, "sales.orders.v1", "marketing.campaign-performance.v1")).isTrue();
        assertThat(reaches(graph, "marketing.campaign-performance.v1", "sales.orders.v1")).isFalse();
        assertThat(graph.path("focus").isNull()).isTrue();
    }

    @Test
    void lineageOfOneProductHoldsItsUpstreamAndDownstreamOnly() {
        JsonNode graph = catalog.api("/api/lineage/marketing.campaign-performance");
        assertThat(graph.path("focus").asText()).isEqualTo("marketing.campaign-performance");
        assertThat(reaches(graph, "sales.orders.v1", "marketing.campaign-performance.v1")).isTrue();
        Set<String> nodes = new HashSet<>();
        graph.path("nodes").forEach(n -> nodes.add(n.path("id").asText()));
        assertThat(nodes).contains("finance.order-settlements.v1", "marketing.campaigns.v1").doesNotContain("qa.widgets.v1");
        JsonNode ordersNode = list(graph.path("nodes")).stream().filter(n -> n.path("id").asText().equals("sales.orders.v1"))
                .findFirst().orElseThrow();
        assertThat(ordersNode.path("url").asText()).isEqualTo("/products/sales.orders.v1");
        assertThat(reaches(graph, "sales.orders.v2", "sales.orders.v1")).as("v1 fed from v2").isTrue();

        JsonNode downstream = catalog.api("/api/lineage/sales.orders");
        assertThat(reaches(downstream, "sales.orders.v2", "finance.revenue-daily.v1")).isTrue();
        assertThat(downstream.toString()).doesNotContain("marketing.campaigns.v1\"");
    }

    /** Whether a path of edges leads from one node to another. */
    private static boolean reaches(JsonNode graph, String from, String to) {
        List<String> frontier = new ArrayList<>(List.of(from));
        Set<String> seen = new HashSet<>(frontier);
        while (!frontier.isEmpty()) {
            String at = frontier.remove(frontier.size() - 1);
            if (at.equals(to)) {
                return true;
            }
            graph.path("edges").forEach(e -> {
                if (e.path("source").asText().equals(at) && seen.add(e.path("target").asText())) {
                    frontier.add(e.path("target").asText());
                }
            });
        }
        return false;
    }

    @Test
    void domainsListTheirProductsAndOwners() {
        List<JsonNode> domains = list(catalog.api("/api/domains"));
        assertThat(domains.stream().map(d -> d.path("name").asText())).contains("sales", "finance", "marketing", "qa");
        JsonNode sales = domains.stream().filter(d -> d.path("name").asText().equals("sales")).findFirst().orElseThrow();
        assertThat(list(sales.path("products")).stream().map(p -> p.path("topic").asText()))
                .containsExactlyInAnyOrder("sales.orders.v1", "sales.orders.v2", "sales.customers.v1", "sales.returns.v1");
        assertThat(list(sales.path("owners"))).singleElement().satisfies(o -> {
            assertThat(o.path("team").asText()).isEqualTo("sales");
            assertThat(o.path("contact").asText()).isEqualTo("sales-data@shop.example");
        });
    }

    @Test
    void unknownProductsAre404WithAPointerToSearch() {
        for (String path : List.of("/api/products/sales.nothing", "/api/products/sales.nothing/records",
                "/api/products/sales.nothing/schema", "/api/products/sales.nothing/throughput",
                "/api/products/sales.nothing/quality", "/api/lineage/sales.nothing")) {
            HttpResponse<String> response = catalog.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("content-type").orElse("")).as(path).startsWith("application/json");
            JsonNode body = RunningCatalog.json(response.body());
            assertThat(body.path("message").asText()).as(path).contains("sales.nothing");
            assertThat(body.path("hint").asText()).as(path).contains("/api/search?q=sales.nothing");
        }
        HttpResponse<String> page = catalog.get("/products/sales.nothing");
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("Not found", "role=\"search\"");
        assertThat(catalog.get("/no/such/page").statusCode()).isEqualTo(404);
        assertThat(catalog.get("/api/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void aProductWithoutTopicOrSubjectSaysWhatIsMissing() {
        JsonNode ghost = catalog.api("/api/products/qa.ghost");
        assertThat(list(ghost.path("missing")).stream().map(JsonNode::asText)).containsExactly(
                "topic qa.ghost.v1 does not exist in the Kafka cluster",
                "subject qa.ghost.v1-value has no schema in the registry");
        assertThat(ghost.path("status").path("topicExists").asBoolean()).isFalse();
        assertThat(ghost.path("status").path("freshness").path("status").asText()).isEqualTo("topic-missing");
        assertThat(ghost.path("schema").isNull()).isTrue();
        assertThat(list(ghost.path("versions"))).isEmpty();
        assertThat(ghost.path("description").asText()).isEqualTo("A product whose topic and schema were deleted.");

        assertThat(catalog.api("/api/products/qa.ghost/records").path("missing").asText()).contains("qa.ghost.v1 does not exist");
        assertThat(catalog.api("/api/products/qa.ghost/throughput").path("topicExists").asBoolean()).isFalse();
        assertThat(catalog.api("/api/products/qa.ghost/quality").path("dlqExists").asBoolean()).isFalse();
        assertThat(catalog.get("/api/products/qa.ghost/schema").statusCode()).isEqualTo(404);
        assertThat(catalog.get("/products/qa.ghost").statusCode()).isEqualTo(200);
    }

    @Test
    void pagesAndTheirScriptsAreServedWithoutAnyCdn() {
        for (String path : List.of("/", "/products/sales.orders", "/lineage", "/lineage/sales.orders", "/domains")) {
            HttpResponse<String> page = catalog.get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type").orElse("")).as(path).startsWith("text/html");
            assertThat(page.body()).as(path).doesNotContain("://");
            Matcher scripts = Pattern.compile("src=\"([^\"]+)\"").matcher(page.body());
            while (scripts.find()) {
                assertThat(catalog.get(scripts.group(1)).statusCode()).as(scripts.group(1)).isEqualTo(200);
            }
        }
        assertThat(catalog.get("/lineage").body()).contains("/webjars/cytoscape/");
        assertThat(catalog.get("/static/catalog.css").statusCode()).isEqualTo(200);
    }

    /** The product page's "propose a schema": the same report as mesh impact. */
    @Test
    void aProposedSchemaWithoutTheAmountIsReportedWithWhomItWouldBreak() throws Exception {
        org.apache.avro.Schema orders = new org.apache.avro.Schema.Parser().parse(
                java.nio.file.Path.of("..", "schemas", "products", "sales", "orders", "v2", "Order.avsc").toFile());
        List<org.apache.avro.Schema.Field> kept = orders.getFields().stream().filter(f -> !f.name().equals("amount"))
                .map(f -> new org.apache.avro.Schema.Field(f, f.schema())).toList();
        String without = org.apache.avro.Schema.createRecord(orders.getName(), orders.getDoc(), orders.getNamespace(), false, kept).toString();
        var response = catalog.post("/api/products/sales.orders/impact", without);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode report = RunningCatalog.json(response.body());
        assertThat(report.path("compatible").asBoolean()).isFalse();
        assertThat(report.path("incompatibilities").toString()).contains("'amount'");
        assertThat(report.path("derived").findValuesAsText("application")).contains("finance-order-settlements");
        assertThat(report.path("exitCode").asInt()).isEqualTo(1);

        var same = catalog.post("/api/products/sales.orders/impact", orders.toString());
        assertThat(RunningCatalog.json(same.body()).path("compatible").asBoolean()).isTrue();
        var garbage = catalog.post("/api/products/sales.orders/impact", "{\"type\": \"no-such-type\"}");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(RunningCatalog.json(garbage.body()).path("message").asText()).contains("not an Avro schema");
        var badDefault = catalog.post("/api/products/sales.orders/impact",
                "{\"type\": \"record\", \"name\": \"X\", \"fields\": [{\"name\": \"a\", \"type\": \"int\", \"default\": \"x\"}]}");
        assertThat(badDefault.statusCode()).as(badDefault.body()).isEqualTo(400);
    }
}
