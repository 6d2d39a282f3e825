package dev.mesh.local.bench;

import dev.mesh.finance.FinanceDomain;
import dev.mesh.registry.EmbeddedRegistry;
import dev.mesh.schemas.FinanceProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.finance.payments.v1.Payment;
import dev.mesh.schemas.finance.payments.v1.PaymentKind;
import dev.mesh.schemas.sales.orders.v2.Currency;
import dev.mesh.schemas.sales.orders.v2.Money;
import dev.mesh.schemas.sales.orders.v2.Order;
import dev.mesh.schemas.sales.orders.v2.OrderLine;
import dev.mesh.schemas.sales.orders.v2.SalesChannel;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Publisher;
import dev.mesh.service.DomainService;
import dev.mesh.testkit.EmbeddedKafka;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Records per second the finance service's settlements app takes in (orders and payments, exactly-once, with its
 * other apps running beside it) with one and with two instances, each count on a fresh broker with the same input
 * published beforehand. Measured from 5 % to 95 % of the input committed by the app's group, so start-up and the
 * tail are left out. Args: orders (default 40000; as many payments), then instance counts (default 1 2).
 */
public final class FinanceScaling {
    public static void main(String[] args) throws Exception {
        int orders = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        List<Integer> counts = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            counts.add(Integer.parseInt(args[i]));
        }
        if (counts.isEmpty()) {
            counts = List.of(1, 2);
        }
        System.out.printf("%-10s %-10s %-12s %s%n", "instances", "records", "records/s", "seconds");
        for (int instances : counts) {
            double[] result = measure(orders, instances);
            System.out.printf("%-10d %-10d %-12.0f %.1f%n", instances, 2 * orders, result[0], result[1]);
        }
    }

    /** records/s and seconds of the 5-95 % window. */
    private static double[] measure(int orders, int instances) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             EmbeddedRegistry registry = EmbeddedRegistry.start(kafka.bootstrapServers())) {
            publish(kafka, registry, orders);
            List<EmbeddedServer> services = new ArrayList<>();
            try (Admin admin = kafka.admin()) {
                for (int i = 0; i < instances; i++) {
                    Map<String, Object> p = new HashMap<>();
                    p.put("micronaut.server.port", -1);
                    p.put("micronaut.server.host", "127.0.0.1");
                    p.put("kafka.bootstrap.servers", kafka.bootstrapServers());
                    p.put("schema.registry.url", registry.url());
                    p.put("generator.rate", 0);
                    p.put("mesh.streams.state.dir", Files.createTempDirectory("finance-scaling").toString());
                    services.add(DomainService.start(FinanceDomain.ENV, p));
                }
                long total = 2L * orders;
                long from = 0;
                while (true) {
                    long done = committed(admin);
                    long now = System.nanoTime();
                    if (from == 0 && done >= total * 0.05) {
                        from = now;
                    }
                    if (from != 0 && done >= total * 0.95) {
                        double seconds = (now - from) / 1e9;
                        return new double[] {total * 0.9 / seconds, seconds};
                    }
                    Thread.sleep(100);
                }
            } finally {
                services.forEach(s -> s.getApplicationContext().close());
            }
        }
    }

    /** Input records the settlements app has committed, over both its inputs. */
    private static long committed(Admin admin) throws Exception {
        Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets = admin
                .listConsumerGroupOffsets(FinanceProducts.ORDER_SETTLEMENTS.applicationId())
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        return offsets.entrySet().stream()
                .filter(e -> e.getKey().topic().equals("sales.orders.v2") || e.getKey().topic().equals("finance.payments.v1"))
                .mapToLong(e -> e.getValue() == null ? 0 : e.getValue().offset()).sum();
    }

    private static void publish(EmbeddedKafka kafka, EmbeddedRegistry registry, int orders) throws Exception {
        try (Mesh mesh = Mesh.connect(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "schema.registry.url", registry.url(), Mesh.APP, "finance-scaling"));
             Publisher<Order> o = mesh.publisher(SalesProducts.ORDERS_V2);
             Publisher<Payment> p = mesh.publisher(FinanceProducts.PAYMENTS)) {
            for (int i = 0; i < orders; i++) {
                String id = "scale-" + i;
                o.publish(new Order(id, "c-" + (i % 500), new Money(new BigDecimal("10.00"), Currency.EUR),
                        List.of(new OrderLine("sku-1", 1, new BigDecimal("10.00"))), SalesChannel.WEB, Instant.now()));
                p.publish(new Payment("p-" + id, id, PaymentKind.CAPTURED, new BigDecimal("10.00"),
                        dev.mesh.schemas.finance.payments.v1.Currency.EUR, "bench", Instant.now()));
            }
            o.flush();
            p.flush();
        }
    }
}
