package dev.mesh.marketing;

import dev.mesh.registry.EmbeddedRegistry;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.marketing.campaigns.v1.Campaign;
import dev.mesh.schemas.marketing.campaigntouches.v1.Touch;
import dev.mesh.schemas.sales.customers.v1.Customer;
import dev.mesh.schemas.sales.customers.v1.Segment;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.registry.RegistryClient;
import dev.mesh.sdk.internal.serde.AvroDeserializer;
import dev.mesh.service.DomainService;
import dev.mesh.service.Generator;
import dev.mesh.service.StreamsApps;
import dev.mesh.testkit.Await;
import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.TestKafka;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator on a real broker and registry: campaigns at start, touches of the customers sales signs up. */
@ExtendWith(KafkaExtension.class)
class MarketingGeneratorTest {

    @Test
    void launchesCampaignsAndTouchesTheCustomersSalesSignsUp(TestKafka kafka, @TempDir Path state) throws Exception {
        String customerId = TestKafka.uniqueName("c-gen");
        String signedUpByHand = TestKafka.uniqueName("c-hand");
        try (EmbeddedRegistry registry = EmbeddedRegistry.start(kafka.bootstrapServers());
             Mesh sales = Mesh.connect(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                     "schema.registry.url", registry.url(), Mesh.APP, TestKafka.uniqueName("sales"), Mesh.PROVISION, "apply"));
             Publisher<Customer> customers = sales.publisher(SalesProducts.CUSTOMERS)) {
            // one customer as sales' generator signs them up, one as a person would through the intake
            customers.publish(new Customer(customerId, "Ann Meyer", "ann.meyer@example.com", "DE", Segment.CONSUMER,
                    Instant.now()), Generator.by("sales")).get(30, TimeUnit.SECONDS);
            customers.publish(new Customer(signedUpByHand, "Ben Smith", "ben.smith@example.com", "DE", Segment.CONSUMER,
                    Instant.now())).get(30, TimeUnit.SECONDS);

            Map<String, Object> props = new HashMap<>();
            props.put("micronaut.server.port", -1);
            props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            props.put("schema.registry.url", registry.url());
            props.put(Mesh.PROVISION, "apply");
            props.put("mesh.app", TestKafka.uniqueName("domain-marketing"));
            props.put("mesh.streams.state.dir", state.toString());
            props.put("generator.rate", 50);
            EmbeddedServer marketing = DomainService.start(MarketingDomain.ENV, props);
            try {
                // closing an app in the middle of its first rebalance blocks for the whole close timeout
                StreamsApps apps = marketing.getApplicationContext().getBean(StreamsApps.class);
                Await.until(Duration.ofSeconds(60), "both streams apps running", () -> apps.states().values().stream()
                        .allMatch(s -> s == KafkaStreams.State.RUNNING));
                RegistryClient client = RegistryClient.create(Map.of("schema.registry.url", registry.url()));
                List<Touch> touches = new ArrayList<>();
                read(kafka, "marketing.campaign-touches.v1", new AvroDeserializer<>(client, Touch.class), touches,
                        () -> touches.stream().anyMatch(t -> t.getCustomerId().equals(customerId)));
                List<Campaign> campaigns = new ArrayList<>();
                read(kafka, "marketing.campaigns.v1", new AvroDeserializer<>(client, Campaign.class), campaigns,
                        () -> campaigns.stream().map(Campaign::getCampaignId).distinct().count() >= 5);

                assertThat(touches).as("the generator touches only generated customers")
                        .noneMatch(t -> t.getCustomerId().equals(signedUpByHand));
                Set<String> campaignIds = new HashSet<>();
                campaigns.forEach(c -> campaignIds.add(c.getCampaignId()));
                assertThat(touches).filteredOn(t -> t.getCustomerId().equals(customerId))
                        .allSatisfy(t -> {
                            assertThat(campaignIds).contains(t.getCampaignId());
                            assertThat(t.getOccurredAt()).isBefore(Instant.now().plusSeconds(1));
                        });
            } finally {
                marketing.close();
            }
        }
    }

    private static <T> void read(TestKafka kafka, String topic, AvroDeserializer<T> decode, List<T> into,
                                 java.util.function.BooleanSupplier enough) {
        try (var consumer = new KafkaConsumer<>(kafka.consumerProps(), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            Await.until(Duration.ofSeconds(60), "records of " + topic, () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    into.add(decode.deserialize(r.topic(), r.value()));
                }
                return enough.getAsBoolean();
            });
        }
    }
}
