package dev.mesh.marketing;

import dev.mesh.schemas.MarketingProducts;
import dev.mesh.schemas.finance.ordersettlements.v1.Settlement;
import dev.mesh.schemas.finance.ordersettlements.v1.SettlementStatus;
import dev.mesh.schemas.marketing.campaignattribution.v1.Attribution;
import dev.mesh.schemas.marketing.campaignattribution.v1.Currency;
import dev.mesh.schemas.marketing.campaignperformance.v1.Performance;
import dev.mesh.schemas.marketing.campaigns.v1.Campaign;
import dev.mesh.schemas.marketing.campaigns.v1.Channel;
import dev.mesh.sdk.StateSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import dev.mesh.schemas.FinanceProducts;
import dev.mesh.sdk.ProductStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PerformanceTopologyTest {
    private static final StateSerdes SERDES = StateSerdes.plain();
    private static final Instant T0 = Instant.parse("2026-03-10T12:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, Attribution> attributions;
    private TestInputTopic<String, Settlement> settlements;
    private TestInputTopic<String, Campaign> campaigns;
    private TestOutputTopic<String, Performance> performance;
    private Instant clock = T0;

    @BeforeEach
    void start(@TempDir Path stateDir) {
        CampaignPerformances performances = new CampaignPerformances();
        ProductStreams streams = ProductStreams.detached(performances.product())
                .property(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()).property(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        streams.to(performances.derive(streams), performances.product());
        driver = new TopologyTestDriver(streams.topology(), streams.properties());
        attributions = driver.createInputTopic(MarketingProducts.CAMPAIGN_ATTRIBUTION.topic(), Serdes.String().serializer(), SERDES.of(Attribution.class).serializer());
        settlements = driver.createInputTopic(FinanceProducts.ORDER_SETTLEMENTS.topic(), Serdes.String().serializer(), SERDES.of(Settlement.class).serializer());
        campaigns = driver.createInputTopic(MarketingProducts.CAMPAIGNS.topic(), Serdes.String().serializer(), SERDES.of(Campaign.class).serializer());
        performance = driver.createOutputTopic(MarketingProducts.CAMPAIGN_PERFORMANCE.topic(), Serdes.String().deserializer(), SERDES.of(Performance.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void sumsAttributedOrdersTheirRevenueAndWhatWasPaidAndReturnOnAdSpend() {
        campaign("cmp-a", "Spring newsletter", "1000.00", "EUR");
        attribution("o-1", "cmp-a", "100.00", Currency.EUR);
        attribution("o-2", "cmp-a", "50.00", Currency.EUR);
        attribution("o-3", null, "70.00", Currency.EUR);
        attribution("o-4", "cmp-b", "30.00", Currency.EUR);
        settlement("o-1", "100.00", "100.00", "0.00", SettlementStatus.PAID);
        settlement("o-2", "50.00", "20.00", "0.00", SettlementStatus.PARTIALLY_PAID);
        settlement("o-3", "70.00", "70.00", "0.00", SettlementStatus.PAID);

        Performance a = latest().get("cmp-a");
        assertThat(a.getName()).isEqualTo("Spring newsletter");
        assertThat(a.getBudget()).isEqualByComparingTo("1000.00");
        assertThat(a.getCurrency().name()).isEqualTo("EUR");
        assertThat(a.getAttributedOrders()).isEqualTo(2);
        assertThat(a.getAttributedRevenue()).isEqualByComparingTo("150.00");
        assertThat(a.getPaidRevenue()).isEqualByComparingTo("120.00");
        assertThat(a.getReturnOnAdSpend()).isCloseTo(0.12, within(1e-9));
        assertThat(store().get("cmp-a")).isEqualTo(a);
    }

    @Test
    void aRefundLowersPaidRevenueButNotAttributedRevenue() {
        campaign("cmp-a", "Spring newsletter", "1000.00", "EUR");
        attribution("o-1", "cmp-a", "100.00", Currency.EUR);
        settlement("o-1", "100.00", "100.00", "0.00", SettlementStatus.PAID);
        assertThat(latest().get("cmp-a").getPaidRevenue()).isEqualByComparingTo("100.00");

        settlement("o-1", "100.00", "100.00", "100.00", SettlementStatus.REFUNDED);

        Performance a = latest().get("cmp-a");
        assertThat(a.getAttributedOrders()).isEqualTo(1);
        assertThat(a.getAttributedRevenue()).isEqualByComparingTo("100.00");
        assertThat(a.getPaidRevenue()).isEqualByComparingTo("0.00");
        assertThat(a.getReturnOnAdSpend()).isEqualTo(0.0);
    }

    @Test
    void aRenamedCampaignIsPublishedAgainWithItsNewName() {
        campaign("cmp-a", "Spring newsletter", "1000.00", "EUR");
        attribution("o-1", "cmp-a", "100.00", Currency.EUR);
        settlement("o-1", "100.00", "100.00", "0.00", SettlementStatus.PAID);
        performance.readKeyValuesToList();

        campaign("cmp-a", "Spring newsletter (wave 2)", "1000.00", "EUR");

        List<KeyValue<String, Performance>> out = performance.readKeyValuesToList();
        assertThat(out).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("cmp-a");
            assertThat(kv.value.getName()).isEqualTo("Spring newsletter (wave 2)");
            assertThat(kv.value.getAttributedOrders()).isEqualTo(1);
            assertThat(kv.value.getPaidRevenue()).isEqualByComparingTo("100.00");
        });
    }

    @Test
    void anOrderAttributedAnewMovesFromOneCampaignToTheOther() {
        campaign("cmp-a", "A", "1000.00", "EUR");
        campaign("cmp-b", "B", "500.00", "EUR");
        attribution("o-1", "cmp-a", "100.00", Currency.EUR);
        settlement("o-1", "100.00", "100.00", "0.00", SettlementStatus.PAID);

        attribution("o-1", "cmp-b", "100.00", Currency.EUR);

        Map<String, Performance> latest = latest();
        assertThat(latest.get("cmp-a").getAttributedOrders()).isZero();
        assertThat(latest.get("cmp-a").getPaidRevenue()).isEqualByComparingTo("0.00");
        assertThat(latest.get("cmp-b").getAttributedOrders()).isEqualTo(1);
        assertThat(latest.get("cmp-b").getPaidRevenue()).isEqualByComparingTo("100.00");
        assertThat(latest.get("cmp-b").getReturnOnAdSpend()).isCloseTo(0.2, within(1e-9));
    }

    @Test
    void aCampaignWithoutOrdersReportsZerosAndOrdersOfAnUnknownCampaignReportNoNameNorBudget() {
        campaign("cmp-new", "New", "800.00", "GBP");
        attribution("o-1", "cmp-unknown", "60.00", Currency.USD);

        Map<String, Performance> latest = latest();
        Performance fresh = latest.get("cmp-new");
        assertThat(fresh.getAttributedOrders()).isZero();
        assertThat(fresh.getAttributedRevenue()).isEqualByComparingTo("0.00");
        assertThat(fresh.getReturnOnAdSpend()).isEqualTo(0.0);
        Performance unknown = latest.get("cmp-unknown");
        assertThat(unknown.getName()).isNull();
        assertThat(unknown.getBudget()).isNull();
        assertThat(unknown.getReturnOnAdSpend()).isNull();
        assertThat(unknown.getCurrency().name()).isEqualTo("USD");
        assertThat(unknown.getAttributedRevenue()).isEqualByComparingTo("60.00");
    }

    @Test
    void revenueIsReportedInTheCampaignsCurrencyOnlyWhileEveryAttributedOrderIsCounted() {
        campaign("cmp-a", "A", "1000.00", "EUR");
        attribution("o-eur", "cmp-a", "100.00", Currency.EUR);
        attribution("o-usd", "cmp-a", "80.00", Currency.USD);
        settlement("o-eur", "100.00", "100.00", "0.00", SettlementStatus.PAID);
        settlement("o-usd", "80.00", "80.00", "0.00", SettlementStatus.PAID, "USD");

        Performance a = latest().get("cmp-a");
        assertThat(a.getAttributedOrders()).isEqualTo(2);
        assertThat(a.getAttributedRevenue()).isEqualByComparingTo("100.00");
        assertThat(a.getPaidRevenue()).isEqualByComparingTo("100.00");
    }

    private Map<String, Performance> latest() {
        return performance.readKeyValuesToMap();
    }

    private KeyValueStore<String, Performance> store() {
        return driver.getKeyValueStore(MarketingProducts.CAMPAIGN_PERFORMANCE.storeName());
    }

    private Instant tick() {
        clock = clock.plus(Duration.ofSeconds(1));
        return clock;
    }

    private void campaign(String id, String name, String budget, String currency) {
        campaigns.pipeInput(id, new Campaign(id, name, Channel.EMAIL, new BigDecimal(budget),
                dev.mesh.schemas.marketing.campaigns.v1.Currency.valueOf(currency), T0.minus(Duration.ofDays(1)),
                T0.plus(Duration.ofDays(30))), tick());
    }

    private void attribution(String orderId, String campaignId, String total, Currency currency) {
        attributions.pipeInput(orderId, new Attribution(orderId, "c-1", campaignId, campaignId == null ? null : "t-" + orderId,
                campaignId == null ? null : T0.minus(Duration.ofHours(1)), currency, new BigDecimal(total), T0), tick());
    }

    private void settlement(String orderId, String total, String captured, String refunded, SettlementStatus status) {
        settlement(orderId, total, captured, refunded, status, "EUR");
    }

    private void settlement(String orderId, String total, String captured, String refunded, SettlementStatus status, String currency) {
        BigDecimal net = new BigDecimal(captured).subtract(new BigDecimal(refunded));
        settlements.pipeInput(orderId, new Settlement(orderId, "c-1",
                dev.mesh.schemas.finance.ordersettlements.v1.Currency.valueOf(currency), new BigDecimal(total),
                new BigDecimal(captured), new BigDecimal(refunded), net, status, 1, T0, tick()), tick());
    }
}
