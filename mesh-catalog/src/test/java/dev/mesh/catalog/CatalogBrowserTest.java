package dev.mesh.catalog;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages in a real headless Chromium (Debian's), driven by Playwright, against a running mesh with generated
 * traffic. A screenshot of each page lands in target/screenshots/ for a person to look at.
 */
@ExtendWith({CatalogBrowserTest.ChromiumRequired.class, RunningCatalog.Extension.class})
class CatalogBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static RunningCatalog catalog;
    private static Playwright playwright;
    private static Browser browser;
    private BrowserContext context;
    private Page page;

    /** Skips each test, before the mesh or the browser starts, where the browser is not installed. */
    static final class ChromiumRequired implements BeforeEachCallback {
        @Override
        public void beforeEach(ExtensionContext context) {
            Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "browser tests skipped: " + CHROMIUM
                    + " is not installed (apt-get install -y chromium; .ci/run installs it)");
        }
    }

    /** Once per class, on the first test that runs: a skipped class starts neither the mesh nor the browser. */
    private static void launch(RunningCatalog running) throws Exception {
        catalog = running;
        Files.createDirectories(SCREENSHOTS);
        playwright = Playwright.create();
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void openPage(RunningCatalog running) throws Exception {
        if (browser == null) {
            launch(running);
        }
        // the catalog asks for a login (basic auth): a person of the sales team
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900)
                .setHttpCredentials(running.user().user(), running.user().secret()));
        page = context.newPage();
        page.setDefaultTimeout(30_000);
    }

    @AfterEach
    void closePage() {
        context.close();
    }

    private static LocatorAssertions expect(Locator locator) {
        return PlaywrightAssertions.assertThat(locator);
    }

    private static final LocatorAssertions.ContainsTextOptions WAIT = new LocatorAssertions.ContainsTextOptions().setTimeout(30_000);

    private void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    @Test
    void searchFindsAProductByAFieldName() {
        page.navigate(catalog.url() + "/");
        page.fill("#q", "unitPrice");
        page.press("#q", "Enter");
        Locator first = page.locator("#results .result").first();
        expect(first.locator(".title a")).containsText("sales.orders", WAIT);
        expect(first.locator(".matches")).containsText("lines[].unitPrice");
        expect(first.locator(".meta")).containsText("owner sales");
        expect(first.locator(".meta .badge")).containsText("fresh");
        expect(first.locator(".consumers")).containsText(Pattern.compile("[1-9]\\d* consumers?"));
        assertThat(page.url()).endsWith("/?q=unitPrice");
        screenshot("search-unitPrice");
    }

    @Test
    void productPageShowsItsSchemaConsumersAndHowToConsume() {
        page.navigate(catalog.url() + "/products/sales.orders");
        Locator unitPrice = page.locator("#schema tr[data-field='lines[].unitPrice']");
        expect(unitPrice).containsText("decimal(12,2)", WAIT);
        expect(unitPrice).containsText("Price of one unit.");
        expect(page.locator("#contract")).containsText("sales-data@shop.example");
        expect(page.locator("#contract")).containsText("positive-quantities");
        expect(page.locator("#consumers tr[data-group]").first()).isVisible();
        expect(page.locator("#consume")).containsText("-s value=avro -r " + catalog.registryUrl().replace("://", "://$LOGIN@"));
        expect(page.locator("#consume")).containsText("Subscriber<Order>");
        expect(page.locator("#throughput")).containsText("records in the last hour", WAIT);
        // the newest bucket holds the generators' records; older ones of a mesh started a minute ago are empty bars
        expect(page.locator("#throughput svg rect").last()).isVisible();
        expect(page.locator("#records pre.value").first()).containsText("orderId", WAIT);
        expect(page.locator("#quality")).containsText("positive-total", WAIT);
        screenshot("product-sales-orders");
    }

    @Test
    void productPageChartsItsObjectivesAndTheHomePageListsBreachesFirst() {
        page.navigate(catalog.url() + "/products/sales.orders");
        Locator freshness = page.locator("#slo [data-slo='freshness']");
        expect(freshness.locator("h3")).containsText(Pattern.compile("freshness (OK|WARN|BREACHED)"), WAIT);
        expect(freshness).containsText("against 300 s");
        // the measured value over time, and the objective as a line across it
        assertThat(freshness.locator("svg polyline").count()).isEqualTo(1);
        assertThat(freshness.locator("svg line.objective").count()).isEqualTo(1);
        // usage from the groups' committed offsets: the card is there from the first load, its readers as they read
        expect(page.locator("#usage")).containsText(Pattern.compile("records read by|Nobody read it"), WAIT);
        screenshot("product-slo");

        page.navigate(catalog.url() + "/");
        // the ghost's topic is gone: it breaks its freshness promise for good
        expect(page.locator("#breaches [data-topic='qa.ghost.v1']")).containsText("BREACHED", WAIT);
        expect(page.locator("#breaches")).containsText("Breaking their promises");
        expect(page.locator("#results .result").first()).isVisible();
        assertThat(page.locator("#results .result").first().getAttribute("data-slo")).as("a product in breach first").isEqualTo("BREACHED");
        screenshot("home-breaches");
    }

    /**
     * A consumer (finance, for a principal of its own) asks on the product page; the owner (sales) approves on the same
     * page; the grant is listed. (A principal of its own, so other tests of this mesh see finance's access unchanged.)
     */
    @Test
    void accessRequestedOnTheProductPageIsApprovedByTheOwnerAndListed(RunningCatalog running) {
        String reason = "browser-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String principal = "User:finance-" + reason;
        try (BrowserContext finance = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900)
                .setHttpCredentials("finance", running.credentials("finance").secret()))) {
            Page asFinance = finance.newPage();
            asFinance.setDefaultTimeout(30_000);
            asFinance.navigate(catalog.url() + "/products/sales.customers");
            asFinance.locator("#request-principal").fill(principal);
            asFinance.locator("#request-reason").fill(reason);
            asFinance.locator("#request-access").click();
            PlaywrightAssertions.assertThat(asFinance.locator("#access-message")).containsText("for " + principal, WAIT);
        }
        page.navigate(catalog.url() + "/products/sales.customers");
        Locator pending = page.locator("#pending tr", new Page.LocatorOptions().setHasText(reason));
        expect(pending).containsText(principal, WAIT);
        pending.locator("button.approve").click();
        expect(page.locator("#grants tr", new Page.LocatorOptions().setHasText(reason))).containsText("User:sales", WAIT);
        expect(page.locator("#audit-events")).containsText("access.approve", WAIT);
        screenshot("product-access");
    }

    @Test
    void aSchemaPastedIntoTheProductPageShowsWhomItWouldBreak() throws Exception {
        org.apache.avro.Schema orders = new org.apache.avro.Schema.Parser().parse(
                java.nio.file.Path.of("..", "schemas", "products", "sales", "orders", "v2", "Order.avsc").toFile());
        var kept = orders.getFields().stream().filter(f -> !f.name().equals("amount"))
                .map(f -> new org.apache.avro.Schema.Field(f, f.schema())).toList();
        page.navigate(catalog.url() + "/products/sales.orders");
        page.locator("#proposal").fill(org.apache.avro.Schema.createRecord(orders.getName(), orders.getDoc(),
                orders.getNamespace(), false, kept).toString(true));
        page.locator("#check-impact").click();
        expect(page.locator("#impact-report")).containsText("Breaking", WAIT);
        expect(page.locator("#impact-report")).containsText("'amount' was removed");
        expect(page.locator("#impact-report")).containsText("finance-order-settlements");
        screenshot("product-impact");
    }

    /** From a product page to the query page: its ready SELECT runs, the answer is a table, and both downloads work. */
    @Test
    void aProductIsQueriedOnTheQueryPageAndTheAnswerDownloaded() throws Exception {
        page.navigate(catalog.url() + "/products/sales.orders");
        page.locator("#query-product").click();
        expect(page.locator("#sql-products")).containsText("finance.order_settlements", WAIT);
        assertThat(page.locator("#sql").inputValue()).isEqualTo("SELECT * FROM sales.orders LIMIT 20");
        page.locator("#sql").fill("SELECT channel, count(*) AS orders FROM sales.orders GROUP BY 1 ORDER BY 1");
        page.locator("#run-sql").click();
        expect(page.locator("#sql-table")).containsText("orders", WAIT);
        expect(page.locator("#sql-table tr").nth(1)).containsText("WEB");
        expect(page.locator("#sql-notes")).containsText("row");
        screenshot("sql-page");

        Download csv = page.waitForDownload(() -> page.locator("#download-csv").click());
        assertThat(Files.readString(csv.path())).startsWith("channel,orders\r\nWEB,");
        Download parquet = page.waitForDownload(() -> page.locator("#download-parquet").click());
        try (var duck = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var s = duck.createStatement();
             var r = s.executeQuery("SELECT channel FROM read_parquet('" + parquet.path() + "') ORDER BY 1 LIMIT 1")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isIn("WEB", "APP", "MARKETPLACE");
        }

        page.locator("#sql").fill("COPY (SELECT 1) TO '/tmp/x.csv'");
        page.locator("#run-sql").click();
        expect(page.locator("#sql-error")).containsText("only SELECT queries", WAIT);
    }

    @Test
    void productPageMasksPii() {
        page.navigate(catalog.url() + "/products/sales.customers");
        expect(page.locator("#schema tr[data-field='email'] .badge.pii")).containsText("PII", WAIT);
        Locator record = page.locator("#records pre.value").first();
        expect(record).containsText("\"email\": \"***\"", WAIT);
        expect(record).containsText("\"name\": \"***\"");
        assertThat(page.locator("#records").textContent()).doesNotContain("@");
        expect(page.locator("#one-version")).containsText("nothing to compare");
        assertThat(page.locator("#diff-from").count()).as("no 'compare version 1 with version 1'").isZero();
        screenshot("product-sales-customers");
    }

    @Test
    void productPageDiffsVersionsAndCountsDeadLettersPerRule() {
        page.navigate(catalog.url() + "/products/qa.widgets");
        expect(page.locator("#diff li.added")).containsText("+ color: optional string = null", WAIT);
        page.selectOption("#diff-from", "2");
        page.selectOption("#diff-to", "1");
        expect(page.locator("#diff li.removed")).containsText("- color", WAIT);
        expect(page.locator("#quality tr[data-rule='positive-price'] td.count")).hasText("1", new LocatorAssertions.HasTextOptions().setTimeout(30_000));
        expect(page.locator("#quality tr[data-rule='has-name'] td.count")).hasText("0");
        screenshot("product-qa-widgets");
    }

    @Test
    void productWithoutTopicOrSubjectSaysWhatIsMissing() {
        page.navigate(catalog.url() + "/products/qa.ghost");
        expect(page.locator(".missing")).containsText("topic qa.ghost.v1 does not exist in the Kafka cluster", WAIT);
        expect(page.locator(".missing")).containsText("subject qa.ghost.v1-value has no schema in the registry");
        expect(page.locator("#contract")).containsText("qa@shop.example");
        expect(page.locator("#records")).containsText("does not exist", WAIT);
        screenshot("product-missing-topic-and-subject");
    }

    @Test
    void lineageOfCampaignPerformanceReachesSalesOrdersAndNodesOpenTheirProduct() {
        page.navigate(catalog.url() + "/lineage/marketing.campaign-performance");
        page.waitForFunction("() => window.meshGraph && window.meshGraph.ready");
        @SuppressWarnings("unchecked")
        List<String> upstream = (List<String>) page.evaluate(
                "() => window.meshGraph.cy.getElementById('marketing.campaign-performance.v1').predecessors('node').map(n => n.id())");
        assertThat(upstream).contains("sales.orders.v1", "finance.order-settlements.v1", "marketing.campaign-attribution.v1");
        expect(page.locator("#node-list tr[data-node='sales.orders.v1']")).isVisible();
        screenshot("lineage-campaign-performance");

        @SuppressWarnings("unchecked")
        List<Number> at = (List<Number>) page.evaluate("() => { const cy = window.meshGraph.cy;"
                + " const p = cy.getElementById('sales.orders.v1').renderedPosition();"
                + " const box = cy.container().getBoundingClientRect(); return [box.left + p.x, box.top + p.y]; }");
        page.mouse().click(at.get(0).doubleValue(), at.get(1).doubleValue());
        page.waitForURL("**/products/sales.orders.v1");
        expect(page.locator("h1")).containsText("sales.orders", WAIT);
    }

    @Test
    void lineageOfTheWholeMeshShowsEveryProduct() {
        page.navigate(catalog.url() + "/lineage");
        page.waitForFunction("() => window.meshGraph && window.meshGraph.ready");
        Number products = (Number) page.evaluate("() => window.meshGraph.cy.nodes('.product').length");
        assertThat(products.intValue()).isGreaterThanOrEqualTo(11);
        Boolean reaches = (Boolean) page.evaluate("() => window.meshGraph.cy.getElementById('sales.orders.v1')"
                + ".successors('node').some(n => n.id() === 'marketing.campaign-performance.v1')");
        assertThat(reaches).isTrue();
        screenshot("lineage-whole-mesh");
    }

    @Test
    void domainsPageListsOwnersAndProducts() {
        page.navigate(catalog.url() + "/domains");
        expect(page.locator("#domain-sales")).containsText("sales.customers", WAIT);
        expect(page.locator("#domain-sales")).containsText("sales-data@shop.example");
        expect(page.locator("#domain-finance")).containsText("finance.order-settlements");
        expect(page.locator("#domain-marketing")).containsText("marketing.campaign-performance");
        screenshot("domains");
    }

    @Test
    void unknownProductIsA404ThatOffersSearch() {
        Response response = page.navigate(catalog.url() + "/products/sales.ordrs");
        assertThat(response.status()).isEqualTo(404);
        expect(page.locator("#what")).containsText("sales.ordrs", WAIT);
        PlaywrightAssertions.assertThat(page.locator("#q")).hasValue("sales.ordrs");
        expect(page.locator("#suggestions")).containsText("sales.orders", WAIT);
        screenshot("not-found");
        page.press("#q", "Enter");
        page.waitForURL("**/?q=sales.ordrs");
    }
}
