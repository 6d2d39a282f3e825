package dev.mesh.local.bench;

import dev.mesh.finance.SettlementRules;
import dev.mesh.finance.state.PaymentLedger;
import dev.mesh.local.LocalMesh;
import dev.mesh.schemas.FinanceProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.finance.ordersettlements.v1.Settlement;
import dev.mesh.schemas.finance.payments.v1.Payment;
import dev.mesh.schemas.sales.orders.v2.Order;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Publisher;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU per settled order: the whole local mesh (every domain's apps, generators off) settling orders at a fixed rate,
 * against, in the same JVM and on the same broker once the registry and the domains' services are stopped, a minimal hand-written
 * Kafka Streams app doing the same join (orders as a table, left-joined with the payments aggregated per order, by
 * finance's own {@link SettlementRules}) exactly once, fed the same records by plain producers. Each side: a warm-up,
 * then a measured window; CPU of the whole process per settled order, the order-to-PAID-settlement latency, and the
 * process's CPU by thread group (broker, each app by its application id, the load).
 * Args: orders/s (default 400), measured seconds (default 60), warm-up seconds (default 20).
 */
public final class SettlementCpu {
    private static final Pattern APP_THREAD = Pattern.compile(
            "^(?:kafka-producer-network-thread \\| |kafka-coordinator-heartbeat-thread \\| )?(.+?)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}.*");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        try (LocalMesh mesh = LocalMesh.start(LocalMesh.Settings.ephemeral(Files.createTempDirectory("settlement-cpu"), 0))) {
            Map<String, Object> admin = new HashMap<>(mesh.clientConfig(dev.mesh.sdk.security.MeshPrincipals.ADMIN));
            admin.put(Mesh.APP, "cpu-bench");
            Result meshRun;
            try (Mesh client = Mesh.connect(admin);
                 Publisher<Order> orders = client.publisher(SalesProducts.ORDERS_V2);
                 Publisher<Payment> payments = client.publisher(FinanceProducts.PAYMENTS)) {
                meshRun = run("mesh", rate, warmup, seconds, kafka(admin), FinanceProducts.ORDER_SETTLEMENTS.contract().topicName(),
                        (id, i) -> {
                            orders.publish(SettlementLatency.order(id));
                            payments.publish(payment(id));
                        });
            }
            // the anchor runs on the same broker with nothing else of the mesh left running (no registry, no domain service)
            mesh.contexts().values().forEach(io.micronaut.context.ApplicationContext::close);
            Result anchorRun;
            try (Anchor anchor = new Anchor(kafka(admin))) {
                anchorRun = run("anchor", rate, warmup, seconds, kafka(admin), Anchor.SETTLEMENTS, anchor::send);
            }
            double app = meshRun.msPerOrder().getOrDefault("app " + FinanceProducts.ORDER_SETTLEMENTS.applicationId(), Double.NaN);
            double anchorApp = anchorRun.msPerOrder().getOrDefault("app " + Anchor.APPLICATION_ID, Double.NaN);
            System.out.printf("%nthe settlements app's threads / the anchor's: %.2f (%.3f / %.3f ms per order)%n", app / anchorApp, app, anchorApp);
            System.out.printf("CPU per settled order at %d orders/s: mesh %.3f ms, anchor %.3f ms, ratio %.2f%n", rate,
                    meshRun.cpuMsPerOrder(), anchorRun.cpuMsPerOrder(), meshRun.cpuMsPerOrder() / anchorRun.cpuMsPerOrder());
        }
    }

    /** CPU ms per settled order: the whole process, and by thread group. */
    record Result(double cpuMsPerOrder, Map<String, Double> msPerOrder) {
    }

    /** Warms up, then measures: sends {@code rate} orders with their payments per second and waits for their PAID settlements. */
    private static Result run(String name, int rate, int warmup, int seconds, Map<String, Object> kafka, String settlements,
                              BiConsumer<String, Integer> send) throws InterruptedException {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        Thread reader = new Thread(() -> read(kafka, settlements, sentAt, latencies, running), "settlement-reader");
        reader.start();
        try {
            load(name + "-warm", rate, warmup, sentAt, send);
            awaitSettled(latencies, rate * warmup);
            latencies.clear();
            Map<String, Long> threadsBefore = threadCpu();
            long gcBefore = gcMillis();
            long jitBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            long cpuBefore = OS.getProcessCpuTime();
            long start = System.nanoTime();
            int n = rate * seconds;
            load(name, rate, seconds, sentAt, send);
            boolean keptUp = awaitSettled(latencies, n);
            long cpu = OS.getProcessCpuTime() - cpuBefore;
            double wall = (System.nanoTime() - start) / 1e9;
            List<Long> sorted;
            synchronized (latencies) {
                sorted = new ArrayList<>(latencies);
            }
            Collections.sort(sorted);
            double perOrder = cpu / 1e6 / sorted.size();
            System.out.printf("%n%s: %d orders at %d/s, %d settled%s; CPU %.1f s over %.1f s (%.0f %% of %d cores), %.3f ms per settled order; p50 %.1f ms, p99 %.1f ms%n",
                    name, n, rate, sorted.size(), keptUp ? "" : " (fell behind)", cpu / 1e9, wall,
                    100 * cpu / 1e9 / wall / OS.getAvailableProcessors(), OS.getAvailableProcessors(), perOrder,
                    SettlementLatency.pct(sorted, 50), SettlementLatency.pct(sorted, 99));
            Map<String, Long> byGroup = new TreeMap<>();
            threadCpu().forEach((thread, nanos) -> byGroup.merge(group(thread), nanos - threadsBefore.getOrDefault(thread, 0L), Long::sum));
            // garbage collection, the JIT's compilers and the VM's own threads are not Java threads (the collector's
            // pauses are its CPU time with the serial collector; the compilers' time is the JVM's estimate)
            long gc = (gcMillis() - gcBefore) * 1_000_000;
            long jit = (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitBefore) * 1_000_000;
            long rest = cpu - byGroup.values().stream().mapToLong(Long::longValue).sum();
            byGroup.put("(GC pauses)", gc);
            byGroup.put("(JIT compilers)", jit);
            byGroup.put("(rest of the VM)", rest - gc - jit);
            Map<String, Double> msPerOrder = new TreeMap<>();
            byGroup.forEach((group, nanos) -> msPerOrder.put(group, nanos / 1e6 / Math.max(1, sorted.size())));
            byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(16)
                    .forEach(e -> System.out.printf("  %-44s %6.2f s  %5.1f %%  %.3f ms/order%n", e.getKey(), e.getValue() / 1e9,
                            100.0 * e.getValue() / cpu, msPerOrder.get(e.getKey())));
            return new Result(perOrder, msPerOrder);
        } finally {
            running.set(false);
            reader.join();
        }
    }

    private static void load(String name, int rate, int seconds, Map<String, Long> sentAt, BiConsumer<String, Integer> send) {
        long start = System.nanoTime();
        for (int i = 0; i < rate * seconds; i++) {
            long due = start + (long) (i * 1e9 / rate);
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            String id = name + "-" + i;
            sentAt.put(id, System.nanoTime());
            send.accept(id, i);
        }
    }

    private static boolean awaitSettled(List<Long> latencies, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (latencies.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return latencies.size() >= n;
    }

    private static void read(Map<String, Object> kafka, String topic, Map<String, Long> sentAt, List<Long> latencies, AtomicBoolean running) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.putAll(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "cpu-bench-" + topic, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    Long t = sentAt.get(r.key());
                    if (t != null && SettlementLatency.isPaid(r.value())) {
                        sentAt.remove(r.key());
                        latencies.add(System.nanoTime() - t);
                    }
                }
            }
        }
    }

    private static Payment payment(String orderId) {
        return new Payment("p-" + orderId, orderId, dev.mesh.schemas.finance.payments.v1.PaymentKind.CAPTURED, new BigDecimal("10.00"),
                dev.mesh.schemas.finance.payments.v1.Currency.EUR, "bench", Instant.now());
    }

    /** The admin's Kafka client settings (SASL included), without the mesh's and the registry's own. */
    private static Map<String, Object> kafka(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.keySet().removeIf(k -> k.startsWith("schema.registry.") || k.startsWith("basic.auth.") || k.startsWith("mesh."));
        return config;
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum();
    }

    private static Map<String, Long> threadCpu() {
        Map<String, Long> cpu = new HashMap<>();
        for (var info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null) {
                long nanos = THREADS.getThreadCpuTime(info.getThreadId());
                if (nanos > 0) {
                    cpu.put(info.getThreadId() + " " + info.getThreadName(), nanos);
                }
            }
        }
        return cpu;
    }

    /** A Streams app's threads by its application id; the rest by the name without numbers. */
    private static String group(String idAndName) {
        String name = idAndName.substring(idAndName.indexOf(' ') + 1);
        Matcher app = APP_THREAD.matcher(name);
        if (app.matches()) {
            return "app " + app.group(1);
        }
        return name.replaceAll("[0-9]+", "#");
    }

    /** The hand-written app: the same join over topics of its own, Avro bytes with the wire format's five-byte header. */
    private static final class Anchor implements AutoCloseable {
        static final String ORDERS = "anchor.orders";
        static final String PAYMENTS = "anchor.payments";
        static final String SETTLEMENTS = "anchor.settlements";
        static final String APPLICATION_ID = "anchor-settlements";
        private final KafkaStreams app;
        private final KafkaProducer<String, byte[]> producer;
        private final Serde<Order> orderSerde = avro(Order.class);
        private final Serde<Payment> paymentSerde = avro(Payment.class);

        Anchor(Map<String, Object> kafka) throws Exception {
            try (Admin admin = Admin.create(kafka)) {
                admin.createTopics(List.of(new NewTopic(ORDERS, 6, (short) 1), new NewTopic(PAYMENTS, 6, (short) 1),
                        new NewTopic(SETTLEMENTS, 6, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
            }
            StreamsBuilder builder = new StreamsBuilder();
            var orders = builder.table(ORDERS, Consumed.with(Serdes.String(), orderSerde));
            var ledgers = builder.stream(PAYMENTS, Consumed.with(Serdes.String(), paymentSerde))
                    .groupByKey(Grouped.with(Serdes.String(), paymentSerde))
                    .aggregate(SettlementRules::emptyLedger, (id, payment, ledger) -> SettlementRules.apply(ledger, payment),
                            Materialized.with(Serdes.String(), avro(PaymentLedger.class)));
            orders.leftJoin(ledgers, SettlementRules::settle, Materialized.with(Serdes.String(), avro(Settlement.class)))
                    .toStream().to(SETTLEMENTS, Produced.with(Serdes.String(), avro(Settlement.class)));
            Properties p = new Properties();
            p.putAll(kafka);
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
            p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("anchor-state").toString());
            p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
            // as the mesh's apps: a settlement is sent as it is computed, not held in a record cache
            p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
            app = new KafkaStreams(builder.build(p), p);
            app.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (app.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            producer = new KafkaProducer<>(kafka, new StringSerializer(), new ByteArraySerializer());
        }

        void send(String id, int i) {
            producer.send(new ProducerRecord<>(ORDERS, id, orderSerde.serializer().serialize(ORDERS, SettlementLatency.order(id))));
            producer.send(new ProducerRecord<>(PAYMENTS, id, paymentSerde.serializer().serialize(PAYMENTS, payment(id))));
        }

        @Override
        public void close() {
            producer.close();
            app.close(Duration.ofSeconds(30));
        }

        /** Avro binary after the wire format's header (magic byte, a schema id that no registry is asked for). */
        static <T extends SpecificRecord> Serde<T> avro(Class<T> type) {
            SpecificDatumWriter<T> writer = new SpecificDatumWriter<>(type);
            SpecificDatumReader<T> reader = new SpecificDatumReader<>(type);
            return Serdes.serdeFrom((topic, value) -> {
                if (value == null) {
                    return null;
                }
                try {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
                    out.write(new byte[]{0, 0, 0, 0, 1});
                    var encoder = EncoderFactory.get().directBinaryEncoder(out, null);
                    writer.write(value, encoder);
                    encoder.flush();
                    return out.toByteArray();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                try {
                    return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
