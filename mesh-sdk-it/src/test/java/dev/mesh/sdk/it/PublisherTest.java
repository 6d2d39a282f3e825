package dev.mesh.sdk.it;

import dev.mesh.sdk.Product;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.it.model.TestOrder;
import dev.mesh.sdk.internal.publish.DeadLetters;
import dev.mesh.sdk.errors.IncompatibleSchemaException;
import dev.mesh.sdk.PublishResult;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.errors.RuleViolationException;
import dev.mesh.sdk.registry.RegisteredSchema;
import dev.mesh.testkit.Await;
import dev.mesh.testkit.KafkaExtension;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith({KafkaExtension.class, TestMesh.class})
class PublisherTest {

    @Test
    void aRecordBreakingARuleLandsInTheDlqWithHeadersAndItsBytesWhileTheOthersArePublishedInOrder(TestMesh t) throws Exception {
        ProductContract contract = TestMesh.contract("orders", TestMesh.uniqueDomain());
        List<CompletableFuture<PublishResult>> sent = new ArrayList<>();
        try (Mesh mesh = t.connect("sales-test"); Publisher<TestOrder> orders = mesh.publisher(Product.of(contract, TestOrder.class))) {
            for (int i = 0; i < 10; i++) {
                // one customer, so one partition: order is observable
                sent.add(orders.publish(SerdeWireFormatTest.order("o-" + i, i == 4 ? "-5.00" : i + 1 + ".00")));
            }
            orders.flush();

            ExecutionException failure = null;
            try {
                sent.get(4).get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                failure = e;
            }
            assertThat(failure).isNotNull();
            assertThat(failure.getCause()).isInstanceOf(RuleViolationException.class)
                    .hasMessageContaining("positive-total").hasMessageContaining(contract.dlqTopic());
            assertThat(((RuleViolationException) failure.getCause()).deadLettered()).isTrue();
            for (int i = 0; i < 10; i++) {
                if (i != 4) {
                    assertThat(sent.get(i).get(30, TimeUnit.SECONDS).topic()).isEqualTo(contract.topicName());
                }
            }

            List<ConsumerRecord<String, byte[]>> records = readAll(t, contract.topicName(), 9);
            assertThat(records).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrder("o-0", "o-1", "o-2", "o-3", "o-5", "o-6", "o-7", "o-8", "o-9");
            // within each partition, offsets follow the order of publish() calls
            Map<Integer, List<Integer>> byPartition = new java.util.TreeMap<>();
            records.stream().sorted(java.util.Comparator.comparingLong(ConsumerRecord::offset)).forEach(r ->
                    byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(Integer.parseInt(r.key().substring(2))));
            byPartition.values().forEach(seq -> assertThat(seq).isSorted());

            ConsumerRecord<String, byte[]> dead = readAll(t, contract.dlqTopic(), 1).get(0);
            assertThat(dead.key()).isEqualTo("o-4");
            assertThat(DeadLetters.header(dead.headers(), "__rule.name")).isEqualTo("positive-total");
            assertThat(DeadLetters.header(dead.headers(), "__rule.mode")).isEqualTo("WRITE");
            assertThat(DeadLetters.header(dead.headers(), "__rule.subject")).isEqualTo(contract.subject());
            assertThat(DeadLetters.header(dead.headers(), "__rule.topic")).isEqualTo(contract.topicName());
            assertThat(DeadLetters.header(dead.headers(), "__rule.exception")).isNotBlank();
            assertThat(DeadLetters.header(dead.headers(), "__origin.topic")).isEqualTo(contract.topicName());
            assertThat(dead.value()[0]).isEqualTo((byte) 0);
            assertThat(java.nio.ByteBuffer.wrap(dead.value(), 1, 4).getInt()).isEqualTo(orders.schemaId());
        }
    }

    @Test
    void theCallbackApiHearsOfEveryOutcomeOnceAndCountsOnTheMeshRegistry(TestMesh t) throws Exception {
        ProductContract contract = TestMesh.contract("orders", TestMesh.uniqueDomain());
        try (Mesh mesh = t.connect("sales-test"); Publisher<TestOrder> orders = mesh.publisher(Product.of(contract, TestOrder.class))) {
            Map<String, PublishResult> landed = new java.util.concurrent.ConcurrentHashMap<>();
            Map<String, Exception> failed = new java.util.concurrent.ConcurrentHashMap<>();
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(12);
            for (int i = 0; i < 12; i++) {
                TestOrder order = SerdeWireFormatTest.order("o-" + i, i == 3 ? "-5.00" : i + 1 + ".00");
                if (i == 7) {
                    order.setCustomerId("");
                }
                String id = "o-" + i;
                orders.publish(order, (result, error) -> {
                    calls.incrementAndGet();
                    if (error != null) {
                        failed.put(id, error);
                    } else {
                        landed.put(id, result);
                    }
                    done.countDown();
                });
            }
            orders.flush();
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(failed).containsOnlyKeys("o-3", "o-7");
            assertThat(failed.get("o-3")).isInstanceOf(RuleViolationException.class).hasMessageContaining("positive-total");
            assertThat(((RuleViolationException) failed.get("o-3")).deadLettered()).isTrue();
            assertThat(failed.get("o-7")).isInstanceOf(RuleViolationException.class).hasMessageContaining("has-customer");
            assertThat(landed).hasSize(10).allSatisfy((id, r) -> assertThat(r.topic()).isEqualTo(contract.topicName()));
            assertThat(readAll(t, contract.topicName(), 10)).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrderElementsOf(landed.keySet());
            assertThat(calls).hasValue(12);

            String product = contract.product().toString();
            assertThat(mesh.meters().get("mesh.publisher.published").tag("product", product).counter().count()).isEqualTo(10.0);
            // Kafka's own producer metrics, tagged with the product, instead of a timer per record
            assertThat(mesh.meters().get("kafka.producer.record.send.total").tag("product", product).functionCounter().count())
                    .isGreaterThanOrEqualTo(11.0);
            assertThat(mesh.meters().get("kafka.producer.request.latency.avg").tag("product", product).gauge()).isNotNull();
        }
    }

    @Test
    void anErrorRuleFailsThePublishWithoutPublishingOrDeadLettering(TestMesh t) throws Exception {
        ProductContract contract = TestMesh.contract("orders", TestMesh.uniqueDomain());
        try (Mesh mesh = t.connect("sales-test"); Publisher<TestOrder> orders = mesh.publisher(Product.of(contract, TestOrder.class))) {
            TestOrder noCustomer = SerdeWireFormatTest.order("o-x", "3.00");
            noCustomer.setCustomerId("");
            assertThatThrownBy(() -> orders.publish(noCustomer).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(RuleViolationException.class).hasMessageContaining("has-customer")
                    .hasMessageContaining("not published");
            orders.publish(SerdeWireFormatTest.order("o-y", "3.00")).get(30, TimeUnit.SECONDS);
            assertThat(readAll(t, contract.topicName(), 1)).extracting(ConsumerRecord::key).containsExactly("o-y");
        }
    }

    @Test
    void openingRegistersTheContractInTheRegistryAndTheCatalog(TestMesh t) {
        ProductContract contract = TestMesh.contract("orders", TestMesh.uniqueDomain());
        try (Mesh mesh = t.connect("sales-test"); Publisher<TestOrder> orders = mesh.publisher(Product.of(contract, TestOrder.class))) {
            RegisteredSchema registered = mesh.registry().latest(contract.subject());
            assertThat(registered.id()).isEqualTo(orders.schemaId());
            assertThat(registered.metadata().properties()).containsEntry("owner", "sales")
                    .containsEntry("version", "1.0.0").containsEntry("classification", "internal");
            assertThat(registered.metadata().tags()).containsKey("TestOrder.email");
            assertThat(registered.ruleSet().domainRules()).extracting(r -> r.name() + ":" + r.kind() + ":" + r.type() + ":" + r.mode())
                    .containsExactly("positive-total:CONDITION:CEL:WRITE", "has-customer:CONDITION:CEL:WRITE",
                            "encrypt-pii:TRANSFORM:ENCRYPT:WRITEREAD");

            CatalogSnapshot catalog = mesh.catalog().read();
            assertThat(catalog.product(contract.topicName())).hasValueSatisfying(p -> {
                assertThat(p.ownerTeam()).isEqualTo("sales");
                assertThat(p.publisherApp()).isEqualTo("sales-test");
                assertThat(p.schemaId()).isEqualTo(orders.schemaId());
            });
        }
    }

    @Test
    void anIncompatibleSchemaChangeRefusesToStartAndNamesTheField(TestMesh t) {
        String domain = TestMesh.uniqueDomain();
        ProductContract v1 = TestMesh.contract("payments", domain);
        ProductContract changed = TestMesh.contract("payments", domain,
                Map.of("{\"name\": \"amount\", \"type\": \"double\"}", "{\"name\": \"amount\", \"type\": \"string\"}"));
        try (Mesh mesh = t.connect("finance-test")) {
            mesh.publisher(Product.of(v1, org.apache.avro.generic.GenericRecord.class)).close();
            assertThatThrownBy(() -> mesh.publisher(Product.of(changed, org.apache.avro.generic.GenericRecord.class)))
                    .isInstanceOf(IncompatibleSchemaException.class)
                    .hasMessageContaining("field 'amount' changed type from double to string");
        }
    }

    @Test
    void anExistingTopicWithOtherPartitionsIsAnErrorNamingBothNumbers(TestMesh t) throws Exception {
        ProductContract contract = TestMesh.contract("payments", TestMesh.uniqueDomain());
        try (var admin = t.kafka().admin()) {
            admin.createTopics(List.of(new NewTopic(contract.topicName(), 5, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (Mesh mesh = t.connect("finance-test")) {
            assertThatThrownBy(() -> mesh.publisher(Product.of(contract, org.apache.avro.generic.GenericRecord.class)))
                    .isInstanceOf(MeshException.class).hasMessageContaining("5 partitions").hasMessageContaining("declares 3");
        }
    }

    @Test
    void aRecordLargerThanTheTopicAcceptsIsRefusedBeforeItIsSent(TestMesh t) throws Exception {
        ProductContract contract = TestMesh.contract("orders", TestMesh.uniqueDomain());
        try (Mesh mesh = t.connect("sales-test")) {
            mesh.publisher(Product.of(contract, TestOrder.class)).close();
            var resource = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, contract.topicName());
            mesh.admin().incrementalAlterConfigs(Map.of(resource, List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                    new org.apache.kafka.clients.admin.ConfigEntry("max.message.bytes", "2000"),
                    org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
            try (Publisher<TestOrder> orders = mesh.publisher(Product.of(contract, TestOrder.class))) {
                TestOrder big = SerdeWireFormatTest.order("big", "10.00");
                big.setCustomerId("c".repeat(5_000));
                ExecutionException e = org.assertj.core.api.Assertions.catchThrowableOfType(ExecutionException.class,
                        () -> orders.publish(big).get(30, TimeUnit.SECONDS));
                assertThat(e.getCause()).isInstanceOf(org.apache.kafka.common.errors.RecordTooLargeException.class)
                        .hasMessageContaining(contract.topicName()).hasMessageContaining("at most 2000");
                orders.publish(SerdeWireFormatTest.order("small", "10.00")).get(30, TimeUnit.SECONDS);
            }
            assertThat(t.kafka().endOffsets(contract.topicName())).as("only the small record was sent").isEqualTo(1);
            assertThat(t.kafka().endOffsets(contract.dlqTopic())).isZero();
        }
    }

    static List<ConsumerRecord<String, byte[]>> readAll(TestMesh t, String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(t.kafka().consumerProps(), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            Await.until(Duration.ofSeconds(30), expected + " records in " + topic, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= expected;
            });
            consumer.poll(Duration.ofMillis(300)).forEach(out::add);
        }
        return out;
    }
}
