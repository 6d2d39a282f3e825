package dev.mesh.marketing;

import dev.mesh.schemas.marketing.campaignattribution.v1.Attribution;
import dev.mesh.schemas.marketing.campaigntouches.v1.Touch;
import dev.mesh.schemas.marketing.campaigntouches.v1.TouchKind;
import dev.mesh.schemas.sales.orders.v1.Currency;
import dev.mesh.schemas.sales.orders.v1.Order;
import dev.mesh.schemas.sales.orders.v1.OrderLine;
import dev.mesh.schemas.sales.orders.v1.SalesChannel;
import dev.mesh.sdk.StateSerdes;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import dev.mesh.schemas.MarketingProducts;
import dev.mesh.schemas.SalesProducts;
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
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class AttributionTopologyTest {
    private static final StateSerdes SERDES = StateSerdes.plain();
    private static final Instant T0 = Instant.parse("2026-03-10T12:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, Order> orders;
    private TestInputTopic<String, Touch> touches;
    private TestOutputTopic<String, Attribution> attributions;

    @BeforeEach
    void start(@TempDir Path stateDir) {
        CampaignAttributions attribution = new CampaignAttributions();
        ProductStreams streams = ProductStreams.detached(attribution.product()).property(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        streams.to(attribution.derive(streams), attribution.product());
        driver = new TopologyTestDriver(streams.topology(), streams.properties());
        orders = driver.createInputTopic(SalesProducts.ORDERS.topic(), Serdes.String().serializer(), SERDES.of(Order.class).serializer());
        touches = driver.createInputTopic(MarketingProducts.CAMPAIGN_TOUCHES.topic(), Serdes.String().serializer(), SERDES.of(Touch.class).serializer());
        attributions = driver.createOutputTopic(MarketingProducts.CAMPAIGN_ATTRIBUTION.topic(), Serdes.String().deserializer(), SERDES.of(Attribution.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aTouchWithinSevenDaysBeforeTheOrderAttributesIt() {
        touch("t-1", "c-1", "cmp-spring", T0.minus(Duration.ofDays(3)), T0.minus(Duration.ofDays(3)));
        order("o-1", "c-1", T0, T0);

        List<KeyValue<String, Attribution>> out = attributions.readKeyValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key).isEqualTo("o-1");
        Attribution a = out.get(0).value;
        assertThat(a.getCampaignId()).isEqualTo("cmp-spring");
        assertThat(a.getTouchId()).isEqualTo("t-1");
        assertThat(a.getTouchedAt()).isEqualTo(T0.minus(Duration.ofDays(3)));
        assertThat(a.getCustomerId()).isEqualTo("c-1");
        assertThat(a.getOrderTotal()).isEqualByComparingTo("42.50");
        assertThat(a.getPlacedAt()).isEqualTo(T0);
    }

    @Test
    void aTouchExactlySevenDaysBeforeStillCountsAndOneMillisecondOlderDoesNot() {
        touch("t-edge", "c-edge", "cmp-edge", T0.minus(Duration.ofDays(7)), T0.minus(Duration.ofDays(7)));
        touch("t-old", "c-old", "cmp-old", T0.minus(Duration.ofDays(7)).minusMillis(1), T0.minus(Duration.ofDays(7)));
        order("o-edge", "c-edge", T0, T0);
        order("o-old", "c-old", T0, T0);

        var out = attributions.readKeyValuesToMap();
        assertThat(out.get("o-edge").getCampaignId()).isEqualTo("cmp-edge");
        assertThat(out.get("o-old").getCampaignId()).isNull();
        assertThat(out.get("o-old").getTouchId()).isNull();
    }

    @Test
    void aTouchOlderThanSevenDaysDoesNotAttributeTheOrder() {
        touch("t-1", "c-1", "cmp-spring", T0.minus(Duration.ofDays(9)), T0.minus(Duration.ofDays(9)));
        order("o-1", "c-1", T0, T0);

        assertThat(attributions.readValuesToList()).singleElement()
                .satisfies(a -> assertThat(a.getCampaignId()).isNull());
    }

    @Test
    void aTouchAfterTheOrderDoesNotAttributeIt() {
        order("o-1", "c-1", T0, T0);
        touch("t-1", "c-1", "cmp-spring", T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(1)));

        assertThat(attributions.readValuesToList()).singleElement()
                .satisfies(a -> assertThat(a.getCampaignId()).isNull());
    }

    @Test
    void anOrderArrivingLateIsAttributedAsOfWhenItWasPlacedNotToATouchThatCameAfterIt() {
        touch("t-before", "c-1", "cmp-before", T0.minus(Duration.ofDays(1)), T0.minus(Duration.ofDays(1)));
        touch("t-after", "c-1", "cmp-after", T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(1)));
        order("o-1", "c-1", T0, T0.plus(Duration.ofHours(2)));

        assertThat(attributions.readValuesToList()).singleElement()
                .satisfies(a -> assertThat(a.getTouchId()).isEqualTo("t-before"));
    }

    @Test
    void theLaterOfTwoTouchesWinsWhicheverArrivesFirst() {
        touch("t-early", "c-1", "cmp-a", T0.minus(Duration.ofDays(3)), T0.minus(Duration.ofDays(3)));
        touch("t-late", "c-1", "cmp-b", T0.minus(Duration.ofDays(1)), T0.minus(Duration.ofDays(1)));
        order("o-1", "c-1", T0, T0);
        // the same touches for another customer, the later one arriving first
        touch("t-late-2", "c-2", "cmp-b", T0.minus(Duration.ofDays(1)), T0.minus(Duration.ofDays(1)));
        touch("t-early-2", "c-2", "cmp-a", T0.minus(Duration.ofDays(3)), T0.minus(Duration.ofHours(20)));
        order("o-2", "c-2", T0, T0);

        var out = attributions.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsExactly("o-1", "o-2");
        assertThat(out).extracting(kv -> kv.value.getCampaignId()).containsExactly("cmp-b", "cmp-b");
    }

    @Test
    void aTouchArrivingAfterTheOrderItExplainsPublishesTheOrderAgainAttributed() {
        order("o-1", "c-1", T0, T0);
        touch("t-1", "c-1", "cmp-spring", T0.minus(Duration.ofHours(1)), T0.plus(Duration.ofMinutes(10)));

        List<KeyValue<String, Attribution>> out = attributions.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsExactly("o-1", "o-1");
        assertThat(out.get(0).value.getCampaignId()).isNull();
        assertThat(out.get(1).value.getCampaignId()).isEqualTo("cmp-spring");
        assertThat(out.get(1).value.getTouchId()).isEqualTo("t-1");
        assertThat(out.get(1).value.getOrderTotal()).isEqualByComparingTo("42.50");
    }

    @Test
    void aLateTouchPublishesAgainOnlyTheOrdersItExplainsAndWhoseCreditChanges() {
        Instant touchedAt = T0.minus(Duration.ofDays(8));
        order("o-before", "c-1", touchedAt.minus(Duration.ofHours(1)), touchedAt.minus(Duration.ofHours(1)));
        order("o-within", "c-1", T0.minus(Duration.ofDays(2)), T0.minus(Duration.ofDays(2)));
        touch("t-newer", "c-1", "cmp-newer", T0.minus(Duration.ofHours(3)), T0.minus(Duration.ofHours(3)));
        order("o-credited", "c-1", T0.minus(Duration.ofHours(2)), T0.minus(Duration.ofHours(2)));
        order("o-too-late", "c-1", touchedAt.plus(Duration.ofDays(7)).plusMillis(1), T0);
        order("o-other-customer", "c-2", T0.minus(Duration.ofDays(2)), T0);
        attributions.readKeyValuesToList();

        touch("t-late", "c-1", "cmp-late", touchedAt, T0.plus(Duration.ofMinutes(1)));

        List<KeyValue<String, Attribution>> again = attributions.readKeyValuesToList();
        assertThat(again).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("o-within");
            assertThat(kv.value.getCampaignId()).isEqualTo("cmp-late");
        });
    }

    @Test
    void unattributedOrdersArePublishedWithoutCampaignAndWithoutPersonalData() {
        order("o-1", "c-1", T0, T0);

        List<KeyValue<String, Attribution>> out = attributions.readKeyValuesToList();
        assertThat(out).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("o-1");
            assertThat(kv.value.getCampaignId()).isNull();
            assertThat(kv.value.getTouchId()).isNull();
            assertThat(kv.value.getTouchedAt()).isNull();
            assertThat(kv.value.getCurrency().name()).isEqualTo("EUR");
        });
        assertThat(Attribution.getClassSchema().getFields()).extracting(Schema.Field::name)
                .doesNotContain("name", "email");
        assertThat(Attribution.getClassSchema().getFields()).allSatisfy(f -> assertThat(f.getObjectProp("confluent:tags")).isNull());
    }

    @Test
    void ordersNoTouchCanChangeAnyMoreAreForgotten() {
        order("o-1", "c-1", T0, T0);
        KeyValueStore<String, Attribution> recent = driver.getKeyValueStore(CampaignAttributor.RECENT_ORDERS_STORE);
        assertThat(count(recent)).isEqualTo(1);

        Instant later = T0.plus(AttributionRules.ORDER_RETENTION).plus(Duration.ofHours(2));
        order("o-2", "c-2", later, later);

        assertThat(count(recent)).isEqualTo(1);
        assertThat(recent.get(CampaignAttributor.orderKey("c-2", later.toEpochMilli(), "o-2"))).isNotNull();
    }

    private static long count(KeyValueStore<String, Attribution> store) {
        try (var all = store.all()) {
            long n = 0;
            while (all.hasNext()) {
                all.next();
                n++;
            }
            return n;
        }
    }

    private void order(String orderId, String customerId, Instant placedAt, Instant arrives) {
        Order order = new Order(orderId, customerId, Currency.EUR, new BigDecimal("42.50"),
                List.of(new OrderLine("sku-tee", 1, new BigDecimal("42.50"))), SalesChannel.WEB, placedAt);
        orders.pipeInput(orderId, order, arrives);
    }

    private void touch(String touchId, String customerId, String campaignId, Instant occurredAt, Instant arrives) {
        touches.pipeInput(customerId, new Touch(touchId, customerId, campaignId, TouchKind.AD_CLICK, occurredAt), arrives);
    }
}
