package dev.mesh.local.bench;

import dev.mesh.local.LocalMesh;
import dev.mesh.schemas.FinanceProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.finance.payments.v1.Payment;
import dev.mesh.schemas.finance.payments.v1.PaymentKind;
import dev.mesh.schemas.sales.orders.v2.Currency;
import dev.mesh.schemas.sales.orders.v2.Order;
import dev.mesh.schemas.sales.orders.v2.OrderLine;
import dev.mesh.schemas.sales.orders.v2.SalesChannel;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Publisher;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * End-to-end latency from an order's publish to its settlement record (finance.order-settlements), at sustained
 * rates, against the whole mesh in this JVM (generators off, so only this load runs). For each rate: p50/p99 of
 * publish-to-settled, and whether the finance app kept up (every order settled within 10 s of the last publish).
 * Args: seconds per rate (default 20), then rates in orders/s (default 50 100 200 400 800).
 */
public final class SettlementLatency {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        List<Integer> rates = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            rates.add(Integer.parseInt(args[i]));
        }
        if (rates.isEmpty()) {
            rates = List.of(50, 100, 200, 400, 800);
        }
        try (LocalMesh mesh = LocalMesh.start(LocalMesh.Settings.ephemeral(Files.createTempDirectory("latency"), 0));
             Mesh client = Mesh.connect(admin(mesh));
             Publisher<Order> orders = client.publisher(SalesProducts.ORDERS_V2);
             Publisher<Payment> payments = client.publisher(FinanceProducts.PAYMENTS)) {
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean running = new AtomicBoolean(true);
            Thread reader = new Thread(() -> read(admin(mesh), sentAt, latencies, running), "settlement-reader");
            reader.start();
            System.out.printf("%-8s %-8s %-10s %-10s %-10s %-10s %s%n", "rate/s", "orders", "p50 ms", "p99 ms", "max ms",
                    "cpu", "kept up");
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            for (int rate : rates) {
                latencies.clear();
                int n = rate * seconds;
                long start = System.nanoTime();
                long cpuAtStart = os.getProcessCpuTime();
                for (int i = 0; i < n; i++) {
                    long due = start + (long) (i * 1e9 / rate);
                    // parked, not spinning: a spinning load generator takes one of the two cores the mesh runs on
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    String id = "bench-" + rate + "-" + i;
                    sentAt.put(id, System.nanoTime());
                    orders.publish(order(id));
                    payments.publish(new Payment("p-" + id, id, PaymentKind.CAPTURED, new BigDecimal("10.00"),
                            dev.mesh.schemas.finance.payments.v1.Currency.EUR, "bench", Instant.now()));
                }
                // the share of the machine's cores this JVM (the whole mesh and the load) used while publishing
                double cpu = (double) (os.getProcessCpuTime() - cpuAtStart) / ((System.nanoTime() - start) * (double) os.getAvailableProcessors());
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (latencies.size() < n && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                List<Long> sorted;
                synchronized (latencies) {
                    sorted = new ArrayList<>(latencies);
                }
                Collections.sort(sorted);
                boolean keptUp = sorted.size() >= n;
                System.out.printf("%-8d %-8d %-10.1f %-10.1f %-10.1f %-10s %s%n", rate, n, pct(sorted, 50), pct(sorted, 99),
                        sorted.isEmpty() ? 0.0 : sorted.get(sorted.size() - 1) / 1e6, Math.round(cpu * 100) + " %",
                        keptUp ? "yes" : "no (" + sorted.size() + " settled)");
                if (!keptUp) {
                    break;
                }
            }
            running.set(false);
            reader.join();
        }
    }

    /** The bench publishes both domains' products and reads finance's: as the mesh's admin. */
    private static Map<String, Object> admin(LocalMesh mesh) {
        Map<String, Object> config = new java.util.HashMap<>(mesh.clientConfig(dev.mesh.sdk.security.MeshPrincipals.ADMIN));
        config.put(Mesh.APP, "latency-bench");
        return config;
    }

    private static void read(Map<String, Object> client, Map<String, Long> sentAt, List<Long> latencies, AtomicBoolean running) {
        Map<String, Object> config = new java.util.HashMap<>(client);
        config.keySet().removeIf(k -> k.startsWith("schema.registry.") || k.startsWith("basic.auth.") || k.startsWith("mesh."));
        config.putAll(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "latency-bench",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("finance.order-settlements.v1"));
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    // the first settlement after the payment is the paid one; an earlier AWAITING one may come first
                    Long t = sentAt.get(r.key());
                    if (t != null && isPaid(r.value())) {
                        sentAt.remove(r.key());
                        latencies.add(System.nanoTime() - t);
                    }
                }
            }
        }
    }

    /** Whether this settlement says PAID (the registry id in the header is the same schema as the class here). */
    static boolean isPaid(byte[] value) {
        var decoder = org.apache.avro.io.DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null);
        try {
            var record = new org.apache.avro.specific.SpecificDatumReader<>(
                    dev.mesh.schemas.finance.ordersettlements.v1.Settlement.class).read(null, decoder);
            return record.getStatus() == dev.mesh.schemas.finance.ordersettlements.v1.SettlementStatus.PAID;
        } catch (Exception e) {
            return false;
        }
    }

    static double pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }

    static Order order(String id) {
        return new Order(id, "c-bench", new dev.mesh.schemas.sales.orders.v2.Money(new BigDecimal("10.00"), Currency.EUR),
                List.of(new OrderLine("sku-bench", 1, new BigDecimal("10.00"))), SalesChannel.WEB, Instant.now());
    }
}
