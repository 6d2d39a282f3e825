package dev.mesh.catalog;

import dev.mesh.local.LocalMesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.access.AccessDecision;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.security.MeshCredentials;
import dev.mesh.sdk.security.MeshPrincipals;
import dev.mesh.service.security.RouteRules;
import dev.mesh.testkit.Await;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpMethod;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every door of the secured mesh against the one access decision: each route of each service has a rule (enumerated
 * from Micronaut's own router), and every principal asking through every door and path variant gets what
 * {@link AccessDecision} says, no more: the registry, the three domain services and the catalog.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMatrixTest {
    private static final List<String> PRINCIPALS = List.of("admin", "sales", "finance", "marketing", "catalog", "registry");
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    static Path data;
    private LocalMesh mesh;
    private EmbeddedServer catalog;
    private AccessDecision decision;

    @BeforeAll
    void start() {
        mesh = LocalMesh.start(LocalMesh.Settings.ephemeral(data, 0));
        Map<String, Object> settings = new HashMap<>(mesh.serviceSettings(MeshPrincipals.CATALOG));
        settings.putAll(Map.of("micronaut.server.port", -1, "micronaut.server.host", "127.0.0.1",
                "kafka.bootstrap.servers", mesh.bootstrapServers(), "schema.registry.url", mesh.registryUrl(),
                "catalog.grant-expiry-check", "500ms"));
        catalog = CatalogServer.start(settings);
        decision = new AccessDecision(Product.all().stream().map(Product::contract).toList(), List::of, Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        if (catalog != null) {
            catalog.getApplicationContext().close();
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void everyRouteOfEveryServiceHasAnAccessRule() {
        Map<String, ApplicationContext> services = new LinkedHashMap<>(mesh.contexts());
        services.put("catalog", catalog.getApplicationContext());
        for (var service : services.entrySet()) {
            Set<String> rules = new TreeSet<>();
            service.getValue().getBeansOfType(RouteRules.class).forEach(r -> rules.addAll(r.rules().keySet()));
            List<String> routes = new ArrayList<>();
            for (UriRouteInfo<?, ?> route : service.getValue().getBean(Router.class).uriRoutes().toList()) {
                HttpMethod method = route.getHttpMethod() == HttpMethod.HEAD ? HttpMethod.GET : route.getHttpMethod();
                routes.add(method + " " + template(route.getUriMatchTemplate().toString()));
            }
            assertThat(routes).as("the routes of %s", service.getKey()).isNotEmpty();
            assertThat(rules).as("every route of %s has an access rule", service.getKey()).containsAll(routes);
        }
    }

    @Test
    void lookupsAnswerTheDecisionThroughEveryPathVariant() throws Exception {
        ProductContract revenue = contract("finance.revenue-daily");
        String day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        List<String> sameProduct = List.of("/products/revenue-daily/EUR%7C" + day, "/products/revenue%2Ddaily/EUR%7C" + day,
                "/products/revenue-daily/EUR%7C" + day + "/", "/revenue-daily/EUR/" + day);
        List<String> noProduct = List.of("/products/revenue%252Ddaily/EUR%7C" + day, "/products/Revenue-Daily/EUR%7C" + day);
        for (String user : PRINCIPALS) {
            boolean may = decision.read(user, revenue).allowed();
            for (String path : sameProduct) {
                for (String method : List.of("GET", "HEAD")) {
                    int status = send("finance", method, path, null, null, Optional.of(user)).statusCode();
                    if (may) {
                        assertThat(status).as("%s %s as %s", method, path, user).isNotIn(401, 403);
                    } else {
                        // refused, or (a path no route takes) nothing there: never an answer about the key
                        assertThat(status).as("%s %s as %s", method, path, user).isIn(403, 404);
                    }
                }
            }
            for (String path : noProduct) {
                assertThat(send("finance", "GET", path, null, null, Optional.of(user)).statusCode())
                        .as("GET %s as %s", path, user).isIn(403, 404);
            }
            // older routes of the other products too
            assertThat(allowed(send("finance", "GET", "/settlements/o-none", null, null, Optional.of(user))))
                    .as("settlements as %s", user).isEqualTo(decision.read(user, contract("finance.order-settlements")).allowed());
            assertThat(allowed(send("marketing", "GET", "/campaigns/c-none/performance", null, null, Optional.of(user))))
                    .as("performance as %s", user).isEqualTo(decision.read(user, contract("marketing.campaign-performance")).allowed());
        }
        assertThat(send("finance", "GET", sameProduct.get(0), null, null, Optional.empty()).statusCode()).isEqualTo(401);
        assertThat(send("finance", "HEAD", sameProduct.get(0), null, null, Optional.empty()).statusCode()).isEqualTo(401);
        // a product without a store says so, instead of a 503 that never ends
        assertThat(send("marketing", "GET", "/products/campaign-attribution/o-1", null, null, Optional.of("admin")).statusCode())
                .isEqualTo(404);
    }

    @Test
    void intakeAndRegistryWritesAnswerTheDecision() throws Exception {
        String notAnOrder = "{\"orderId\": \"\"}";
        for (String user : PRINCIPALS) {
            boolean writes = decision.write(user, contract("sales.orders")).allowed();
            for (String path : List.of("/products/orders", "/products/orders-v2", "/orders", "/products/%6Frders")) {
                int status = send("sales", "POST", path, notAnOrder, "application/json", Optional.of(user)).statusCode();
                if (writes) {
                    assertThat(status).as("POST %s as %s", path, user).isEqualTo(400);
                } else {
                    assertThat(status).as("POST %s as %s", path, user).isEqualTo(403);
                }
            }
            int register = send("registry", "POST", "/subjects/sales.orders.v1-value/versions", "{\"schema\": \"not a schema\"}",
                    "application/vnd.schemaregistry.v1+json", Optional.of(user)).statusCode();
            if (user.equals("sales") || user.equals("admin")) {
                assertThat(register).as("register as %s", user).isEqualTo(422);
            } else {
                assertThat(register).as("register as %s", user).isEqualTo(403);
            }
        }
        // the hops header is the registry's own: a client sending it is not believed (no 50003)
        HttpResponse<String> hops = http.send(HttpRequest.newBuilder(URI.create(mesh.registryUrl().split(",")[0]
                        + "/subjects/sales.orders.v1-value/versions")).header("X-Mesh-Registry-Hops", "3")
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .header("Authorization", credentials("sales").basicAuth())
                .POST(HttpRequest.BodyPublishers.ofString("{\"schema\": \"not a schema\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(hops.statusCode()).as(hops.body()).isEqualTo(422);
        assertThat(send("registry", "GET", "/health/x", null, null, Optional.empty()).statusCode()).isBetween(400, 499);
    }

    @Test
    void theCatalogApiAnswersTheDecision() throws Exception {
        for (String user : PRINCIPALS) {
            for (String product : List.of("finance.payments", "finance.revenue-daily", "sales.customers", "sales.orders")) {
                boolean reads = decision.read(user, contract(product)).allowed();
                int status = send("catalog", "GET", "/api/products/" + product + "/records?limit=1", null, null, Optional.of(user)).statusCode();
                assertThat(allowedStatus(status)).as("%s records as %s (%d)", product, user, status).isEqualTo(reads);
            }
            // a product's data key: to whom may see its PII (and the catalog, which masks per caller), as the decision says
            boolean reveals = decision.reveal(user, contract("sales.customers")).allowed() || user.equals("catalog");
            for (String version : List.of("", "/versions/latest", "/versions/1")) {
                int key = send("registry", "GET", "/dek-registry/v1/keks/sales-pii/deks/sales.customers.v1-value" + version,
                        null, null, Optional.of(user)).statusCode();
                assertThat(key == 403).as("sales.customers' data key%s as %s (%d)", version, user, key).isEqualTo(!reveals);
            }
            // keys under a domain's KEK are its own (and admins'): another domain's would keep it from deleting the KEK
            int made = send("registry", "POST", "/dek-registry/v1/keks/sales-pii/deks/" + user + ".matrix.v1-value", "{}",
                    "application/json", Optional.of(user)).statusCode();
            assertThat(made == 403).as("a key under sales-pii as %s (%d)", user, made)
                    .isEqualTo(!user.equals("admin") && !user.equals("sales"));
            assertThat(allowedStatus(send("catalog", "GET", "/api/audit", null, null, Optional.of(user)).statusCode()))
                    .as("audit as %s", user).isEqualTo(user.equals("admin"));
            // one product's trail: its owner and admins
            assertThat(allowedStatus(send("catalog", "GET", "/api/audit?product=sales.customers.v1", null, null, Optional.of(user)).statusCode()))
                    .as("sales.customers' audit as %s", user).isEqualTo(user.equals("admin") || user.equals("sales"));
            assertThat(send("catalog", "GET", "/api/products", null, null, Optional.of(user)).statusCode()).isEqualTo(200);
            assertThat(send("catalog", "GET", "/api/ops/products", null, null, Optional.of(user)).statusCode()).as("ops view as %s", user).isEqualTo(200);
            assertThat(send("catalog", "GET", "/api/ops/products/sales.customers", null, null, Optional.of(user)).statusCode())
                    .as("one product's ops view (its page shows as much) as %s", user).isEqualTo(200);
            assertThat(allowedStatus(send("catalog", "GET", "/api/ops/products/sales.customers/dlq", null, null, Optional.of(user)).statusCode()))
                    .as("sales.customers' dead letters as %s", user).isEqualTo(user.equals("admin") || user.equals("sales"));
            assertThat(allowedStatus(send("catalog", "GET", "/api/ops/lag", null, null, Optional.of(user)).statusCode()))
                    .as("every group's lag as %s", user).isEqualTo(user.equals("admin"));
            for (String service : List.of("catalog", "registry", "sales", "finance", "marketing")) {
                for (String metrics : List.of("/metrics", "/prometheus")) {
                    int status = send(service, "GET", metrics, null, null, Optional.of(user)).statusCode();
                    assertThat(allowedStatus(status)).as("%s %s as %s (%d)", service, metrics, user, status).isEqualTo(user.equals("admin"));
                }
            }
        }
        for (String service : List.of("catalog", "registry", "sales", "finance", "marketing")) {
            assertThat(send(service, "GET", "/metrics", null, null, Optional.empty()).statusCode()).as(service).isEqualTo(401);
            assertThat(send("catalog", "GET", "/api/ops/products", null, null, Optional.empty()).statusCode()).isEqualTo(401);
            assertThat(send("catalog", "GET", "/api/ops/products/sales.customers", null, null, Optional.empty()).statusCode()).isEqualTo(401);
            assertThat(send(service, "GET", "/health", null, null, Optional.empty()).statusCode()).as(service).isIn(200, 503);
        }
        HttpResponse<String> badLimit = send("catalog", "GET", "/api/ops/products/sales.customers/dlq?limit=0", null, null, Optional.of("admin"));
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(badLimit.body()).contains("limit 0 is out of range");
        // whoami: the server says what the principal may do
        String who = send("catalog", "GET", "/api/whoami?product=sales.customers", null, null, Optional.of("finance")).body();
        assertThat(who).contains("\"principal\":\"User:finance\"", "\"reveal\":{\"allowed\":false", "mesh access request sales.customers --pii");
    }

    @Test
    void statesChangeOnlyFromJsonOfTheServicesOwnOrigin() throws Exception {
        String request = "{\"product\": \"sales.customers\", \"reason\": \"campaign targeting\"}";
        for (String type : List.of("application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x")) {
            HttpResponse<String> refused = send("catalog", "POST", "/api/access/requests", request, type, Optional.of("marketing"));
            assertThat(refused.statusCode()).as(type).isEqualTo(415);
        }
        assertThat(send("catalog", "POST", "/api/access/ar-x/approve", null, null, Optional.of("sales")).statusCode())
                .as("a bodiless POST").isEqualTo(415);
        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create(url("catalog") + "/api/access/requests"))
                .header("Content-Type", "application/json").header("Origin", "http://127.0.0.1:1")
                .header("Authorization", credentials("marketing").basicAuth())
                .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(403);
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded")) {
            assertThat(send("sales", "POST", "/products/orders", "{}", type, Optional.of("sales")).statusCode()).as(type).isEqualTo(415);
        }
        HttpResponse<String> page = send("catalog", "GET", "/", null, null, Optional.of("sales"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    @Test
    void oddInputsAreRefusedWithA4xx() throws Exception {
        for (String number : List.of("1e2147483647", "1e-2147483648", "0e-2147483648")) {
            String order = "{\"customerId\": \"c-1\", \"currency\": \"EUR\", \"totalAmount\": " + number + ","
                    + " \"lines\": [{\"sku\": \"mug\", \"quantity\": 1, \"unitPrice\": 1.00}]}";
            HttpResponse<String> r = send("sales", "POST", "/products/orders", order, "application/json", Optional.of("sales"));
            assertThat(r.statusCode()).as(number + ": " + r.body()).isEqualTo(400);
        }
        for (String id : List.of("c\u00a0x", "c\u200bx", "\ufeffc", "c\u202ex")) {
            String customer = "{\"customerId\": \"" + id + "\", \"name\": \"Ann\", \"email\": \"ann@example.com\", \"country\": \"DE\"}";
            HttpResponse<String> r = send("sales", "POST", "/products/customers", customer, "application/json", Optional.of("sales"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(r.body()).contains("customerId");
        }
        // bodies that are not what their Content-Encoding says
        for (String encoding : List.of("gzip", "deflate", "snappy")) {
            for (String service : List.of("sales", "catalog", "registry")) {
                String path = switch (service) {
                    case "sales" -> "/products/orders";
                    case "catalog" -> "/api/access/requests";
                    default -> "/subjects/sales.orders.v1-value";
                };
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(service) + path))
                        .header("Content-Type", "application/json").header("Content-Encoding", encoding)
                        .header("Authorization", credentials("sales").basicAuth())
                        .POST(HttpRequest.BodyPublishers.ofString("{\"not\": \"" + encoding + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("%s body to %s: %s", encoding, service, r.body()).isBetween(400, 499);
            }
        }
        // and a real gzip body is read
        HttpResponse<String> gzipped = http.send(HttpRequest.newBuilder(URI.create(url("sales") + "/products/orders"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .header("Authorization", credentials("sales").basicAuth())
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip("{\"orderId\": \"\"}"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(gzipped.statusCode()).as(gzipped.body()).isEqualTo(400);
        assertThat(gzipped.body()).contains("orderId");
    }

    @Test
    void aGrantEndsAtItsExpiryAtEveryDoorAndInKafka() throws Exception {
        ProductContract revenue = contract("finance.revenue-daily");
        assertThat(decision.read("marketing", revenue).allowed()).as("marketing is no reader by contract").isFalse();
        String request = "{\"product\": \"finance.revenue-daily\", \"reason\": \"campaign budget\", \"validFor\": \"6s\"}";
        HttpResponse<String> asked = send("catalog", "POST", "/api/access/requests", request, "application/json", Optional.of("marketing"));
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(201);
        String id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(asked.body()).path("id").asText();
        HttpResponse<String> approved = send("catalog", "POST", "/api/access/" + id + "/approve", "{}", "application/json", Optional.of("finance"));
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        String day = "/products/revenue-daily/EUR%7C" + java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        Await.until(Duration.ofSeconds(5), "the grant at finance's door", () -> allowed(get("finance", day, "marketing")));
        assertThat(allowedStatus(get("catalog", "/api/products/finance.revenue-daily/records?limit=1", "marketing").statusCode())).isTrue();
        Await.until(Duration.ofSeconds(15), "the grant's end at finance's door", () -> get("finance", day, "marketing").statusCode() == 403);
        assertThat(get("catalog", "/api/products/finance.revenue-daily/records?limit=1", "marketing").statusCode()).isEqualTo(403);
        try (Admin admin = Admin.create(kafka(MeshPrincipals.ADMIN))) {
            Await.until(Duration.ofSeconds(10), "the grant's ACLs gone", () -> {
                try {
                    return admin.describeAcls(AclBindingFilter.ANY).values().get(10, TimeUnit.SECONDS).stream()
                            .noneMatch(b -> b.entry().principal().equals("User:marketing")
                                    && b.pattern().name().equals("finance.revenue-daily.v1"));
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static boolean allowed(HttpResponse<String> r) {
        return allowedStatus(r.statusCode());
    }

    private static boolean allowedStatus(int status) {
        return status != 401 && status != 403;
    }

    private HttpResponse<String> get(String service, String path, String user) {
        try {
            return send(service, "GET", path, null, null, Optional.of(user));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ProductContract contract(String id) {
        return decision.product(id).orElseThrow();
    }

    private String url(String service) {
        return switch (service) {
            case "catalog" -> "http://127.0.0.1:" + catalog.getPort();
            case "registry" -> mesh.registryUrl().split(",")[0];
            default -> mesh.url(service);
        };
    }

    private MeshCredentials credentials(String user) {
        return mesh.credentials().flatMap(store -> store.find(user)).orElseThrow();
    }

    private Map<String, Object> kafka(String user) {
        Map<String, Object> p = new HashMap<>(credentials(user).kafkaProperties());
        p.put("bootstrap.servers", mesh.bootstrapServers());
        return p;
    }

    private HttpResponse<String> send(String service, String method, String path, String body, String type, Optional<String> user)
            throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url(service) + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            r.header("Content-Type", type);
        }
        user.ifPresent(u -> r.header("Authorization", credentials(u).basicAuth()));
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static String template(String template) {
        int cut = template.indexOf("{?");
        int more = template.indexOf("{&");
        cut = cut < 0 ? more : more < 0 ? cut : Math.min(cut, more);
        String path = cut < 0 ? template : template.substring(0, cut);
        return path.isEmpty() ? "/" : path;
    }
}
