package dev.mesh.sdk.it;

import dev.mesh.sdk.Product;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ConsumerEntry;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.it.model.TestOrder;
import dev.mesh.sdk.it.model.TestPayment;
import dev.mesh.sdk.it.model.TestSettlement;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.internal.serde.AvroDeserializer;
import dev.mesh.sdk.ProductStreams;
import dev.mesh.testkit.Await;
import dev.mesh.testkit.KafkaExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith({KafkaExtension.class, TestMesh.class})
class StreamsJoinTest {

    @Test
    void anExactlyOnceJoinOfTwoProductsPublishesADerivedProductWithContractAndLineage(TestMesh t, @TempDir Path state) throws Exception {
        String domain = TestMesh.uniqueDomain();
        ProductContract orders = TestMesh.contract("orders", domain);
        ProductContract payments = TestMesh.contract("payments", domain);
        ProductContract settlements = TestMesh.contract("settlements", domain);
        Product<TestSettlement> settled = Product.of(settlements, TestSettlement.class);
        String appId = settled.applicationId();

        Map<String, Object> config = t.config("finance-test");
        config.put(Mesh.INSTANCE, "finance-7");
        try (Mesh mesh = Mesh.connect(config);
             Publisher<TestOrder> orderPublisher = mesh.publisher(Product.of(orders, TestOrder.class));
             Publisher<TestPayment> paymentPublisher = mesh.publisher(Product.of(payments, TestPayment.class))) {
            ProductStreams streams = mesh.streams(settled)
                    .property(StreamsConfig.STATE_DIR_CONFIG, state.toString())
                    .property(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            KTable<String, TestOrder> orderTable = streams.table(Product.of(orders, TestOrder.class));
            KTable<String, Double> paid = streams.stream(Product.of(payments, TestPayment.class))
                    .groupByKey(Grouped.with(org.apache.kafka.common.serialization.Serdes.String(), streams.serde(TestPayment.class)))
                    .aggregate(() -> 0.0, (k, p, sum) -> sum + p.getAmount(),
                            org.apache.kafka.streams.kstream.Materialized.with(org.apache.kafka.common.serialization.Serdes.String(),
                                    org.apache.kafka.common.serialization.Serdes.Double()));
            streams.to(orderTable.leftJoin(paid, (o, p) -> TestSettlement.newBuilder().setOrderId(o.getOrderId())
                    .setCustomerId(o.getCustomerId()).setTotal(o.getTotalAmount().doubleValue())
                    .setPaid(p == null ? 0.0 : p).build()).toStream(), settled);

            try (KafkaStreams app = streams.build()) {
                app.start();
                Await.until(Duration.ofSeconds(60), "streams app RUNNING", () -> app.state() == KafkaStreams.State.RUNNING);
                try (var raw = new org.apache.kafka.clients.producer.KafkaProducer<>(t.kafka().producerProps(),
                        new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                    raw.send(new org.apache.kafka.clients.producer.ProducerRecord<>(payments.topicName(), "o-0", "poison".getBytes())).get();
                }
                for (int i = 0; i < 5; i++) {
                    orderPublisher.publish(SerdeWireFormatTest.order("o-" + i, "10.00")).get(30, TimeUnit.SECONDS);
                    paymentPublisher.publish(TestPayment.newBuilder().setPaymentId("p-" + i).setOrderId("o-" + i).setAmount(4.0).build()).get(30, TimeUnit.SECONDS);
                    paymentPublisher.publish(TestPayment.newBuilder().setPaymentId("q-" + i).setOrderId("o-" + i).setAmount(6.0).build()).get(30, TimeUnit.SECONDS);
                }

                Map<String, TestSettlement> latest = new HashMap<>();
                AvroDeserializer<TestSettlement> decode = new AvroDeserializer<>(mesh.registry(), TestSettlement.class);
                try (var consumer = new KafkaConsumer<>(t.kafka().consumerProps(), new StringDeserializer(), new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(settlements.topicName()));
                    Await.until(Duration.ofSeconds(90), "every order settled at 10.0", () -> {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            latest.put(r.key(), decode.deserialize(r.topic(), r.value()));
                        }
                        return latest.size() == 5 && latest.values().stream().allMatch(s -> s.getPaid() == 10.0);
                    });
                }
                assertThat(latest.get("o-3").getTotal()).isEqualTo(10.0);
                assertThat(app.state()).as("a poison pill does not stop the app").isEqualTo(KafkaStreams.State.RUNNING);
                // each stream thread a static member under the instance's name (see Mesh.INSTANCE)
                assertThat(mesh.admin().describeConsumerGroups(List.of(appId)).all().get(30, TimeUnit.SECONDS).get(appId).members())
                        .allSatisfy(m -> assertThat(m.groupInstanceId()).hasValueSatisfying(id -> assertThat(id).startsWith("finance-7-")))
                        .isNotEmpty();
                // the join's stores hold their memtables and blocks in the JVM's one RocksDB budget
                assertThat(dev.mesh.sdk.internal.streams.SharedRocksDbMemory.budgetBytes()).isEqualTo(64L * 1024 * 1024);
                assertThat(dev.mesh.sdk.internal.streams.SharedRocksDbMemory.usedBytes()).isPositive()
                        .isLessThanOrEqualTo(dev.mesh.sdk.internal.streams.SharedRocksDbMemory.budgetBytes());
                List<ConsumerRecord<String, byte[]>> dead = PublisherTest.readAll(t, dev.mesh.sdk.contract.Naming.streamsDlqTopic(appId), 1);
                assertThat(dead.get(0).value()).isEqualTo("poison".getBytes());
            }

            CatalogSnapshot catalog = mesh.catalog().read();
            assertThat(catalog.product(settlements.topicName())).hasValueSatisfying(p -> {
                assertThat(p.inputs()).containsExactly(orders.topicName(), payments.topicName());
                assertThat(p.streamsApplicationId()).isEqualTo(appId);
                assertThat(p.description()).isEqualTo(settlements.description());
            });
            assertThat(catalog.consumersOf(orders.topicName())).extracting(ConsumerEntry::group, ConsumerEntry::kind)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(appId, ConsumerEntry.STREAMS));
            assertThat(catalog.downstreamOf(payments.topicName())).extracting(p -> p.topic()).containsExactly(settlements.topicName());
            assertThat(mesh.registry().latest(settlements.subject()).metadata().properties())
                    .containsEntry("inputs", orders.topicName() + "," + payments.topicName());
        }
    }
}
