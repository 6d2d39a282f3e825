package dev.mesh.catalog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.catalog.CatalogServer;
import dev.mesh.local.LocalMesh;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.security.MeshCredentials;
import dev.mesh.sdk.security.MeshPrincipals;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL over a product of N records (default 1,000,000 orders in sales.orders.v2, the domains' services stopped so
 * nothing else competes for the 2 cores): the catalog's snapshot load (decode through the contract, keep, load into
 * DuckDB) against a plain KafkaConsumer + Avro decoder over the same records in the same run, then a GROUP BY first and
 * repeated (only new offsets read), and the process's memory while it runs. That first round runs in a fresh JVM (the
 * first query also compiles the load's code and loads DuckDB's library); the load is measured again, warm, over N
 * records written after it, which both sides read from where the first round ended.
 * Run: see docs/benchmarks.md ("SQL over products").
 */
public final class SqlSnapshotLoad {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "sales.orders.v2";

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path data = Files.createTempDirectory("sql-bench");
        try (LocalMesh mesh = LocalMesh.start(LocalMesh.Settings.ephemeral(data, 0))) {
            Map<String, Object> settings = new HashMap<>(mesh.serviceSettings(MeshPrincipals.CATALOG));
            settings.putAll(Map.of("micronaut.server.port", -1, "micronaut.server.host", "127.0.0.1",
                    "kafka.bootstrap.servers", mesh.bootstrapServers(), "schema.registry.url", mesh.registryUrl(),
                    "catalog.sql.timeout", "600s", "catalog.sql.cache-dir", data.resolve("sql").toString(),
                    "catalog.sql.cache-max-bytes", Long.toString(4L << 30)));
            EmbeddedServer catalog = CatalogServer.start(settings);
            try {
                String url = "http://127.0.0.1:" + catalog.getPort();
                MeshCredentials admin = mesh.credentials().flatMap(s -> s.find(MeshPrincipals.ADMIN)).orElseThrow();
                waitForCatalog(url, admin);
                // only the catalog and the broker from here: no Streams app or bridge reads what follows
                mesh.contexts().forEach((name, c) -> {
                    if (!name.startsWith("registry")) {
                        c.close();
                    }
                });
                Schema schema;
                int id;
                try (Mesh client = Mesh.connect(mesh.clientConfig(MeshPrincipals.ADMIN))) {
                    id = client.registry().latest(TOPIC + "-value").id();
                    schema = client.registry().schemaById(id);
                }
                String groupBy = "SELECT channel, count(*), sum(amount.value) FROM sales.orders GROUP BY 1 ORDER BY 1";

                // 1. a fresh JVM: N records, the GROUP BY first (reads them all) and repeated (reads nothing new)
                produce(mesh, schema, id, "w-", records);
                System.out.printf("records=%d in %s%n", records, TOPIC);
                double coldPlain = plainConsumer(mesh, schema, Map.of(), records);
                long rssBefore = rssMb();
                JsonNode first = query(url, admin, groupBy);
                long rssFirst = rssMb();
                JsonNode repeated = query(url, admin, groupBy);
                long rssAfter = rssMb();
                long firstRead = first.path("readMillis").asLong();
                System.out.printf("fresh JVM: plain consumer %.0f records/s, first SQL query %.0f records/s (ratio %.2f)%n",
                        coldPlain, records * 1000.0 / firstRead, records * 1000.0 / firstRead / coldPlain);
                long firstTotal = firstRead + first.path("executeMillis").asLong();
                long repeatedTotal = repeated.path("readMillis").asLong() + repeated.path("executeMillis").asLong();
                System.out.printf("GROUP BY first query: %d ms (read %d, execute %d, %d read from Kafka)%n", firstTotal, firstRead,
                        first.path("executeMillis").asLong(), first.path("sources").get(0).path("readFromKafka").asLong());
                System.out.printf("GROUP BY repeated query: %d ms (read %d, execute %d, %d read from Kafka)%n", repeatedTotal,
                        repeated.path("readMillis").asLong(), repeated.path("executeMillis").asLong(),
                        repeated.path("sources").get(0).path("readFromKafka").asLong());
                System.out.printf("ratio (repeated / first): %.3f%n", (double) repeatedTotal / firstTotal);
                System.out.printf("answer: %s%n", repeated.path("rows"));
                System.out.printf("process RSS: %d MB before, %d MB after the first query, %d MB after the second (DuckDB memory_limit 512MB)%n",
                        rssBefore, rssFirst, rssAfter);

                // 2. warm: N more records, each side reading only them once the JIT has settled
                Map<TopicPartition, Long> warmEnd = endOffsets(mesh);
                produce(mesh, schema, id, "b-", records);
                settle();
                double plain = plainConsumer(mesh, schema, warmEnd, records);
                System.out.printf("plain KafkaConsumer + Avro decoder: %.0f records/s%n", plain);
                settle();
                JsonNode load = query(url, admin, groupBy);
                if (load.path("sources").get(0).path("readFromKafka").asLong() != records) {
                    throw new IllegalStateException("the measured query read " + load.path("sources").get(0).path("readFromKafka") + " records");
                }
                double loaded = records * 1000.0 / load.path("readMillis").asLong();
                System.out.printf("mesh SQL snapshot load: %.0f records/s (read %d ms, executed %d ms, %d read from Kafka)%n",
                        loaded, load.path("readMillis").asLong(), load.path("executeMillis").asLong(), records);
                System.out.printf("ratio (SQL load / plain consumer): %.2f%n", loaded / plain);
            } finally {
                catalog.getApplicationContext().close();
            }
        }
    }

    private static void waitForCatalog(String url, MeshCredentials admin) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = send(url + "/api/products/" + TOPIC, admin, null);
            if (r.statusCode() == 200) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the catalog does not list " + TOPIC);
    }

    private static void produce(LocalMesh mesh, Schema schema, int id, String prefix, int records) throws Exception {
        Map<String, Object> config = new HashMap<>(mesh.credentials().flatMap(s -> s.find("sales")).orElseThrow().kafkaProperties());
        config.put("bootstrap.servers", mesh.bootstrapServers());
        config.put("linger.ms", 20);
        config.put("batch.size", 256 * 1024);
        config.put("compression.type", "lz4");
        String[] channels = {"WEB", "APP", "MARKETPLACE"};
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            GenericDatumWriter<GenericRecord> writer = new GenericDatumWriter<>(schema);
            BinaryEncoder encoder = null;
            for (int i = 0; i < records; i++) {
                GenericRecord order = order(schema, prefix + i, channels[i % 3], BigInteger.valueOf(1000 + i % 9000), now);
                ByteArrayOutputStream out = new ByteArrayOutputStream(128);
                out.write(0);
                out.write(ByteBuffer.allocate(4).putInt(id).array());
                encoder = EncoderFactory.get().binaryEncoder(out, encoder);
                writer.write(order, encoder);
                encoder.flush();
                producer.send(new ProducerRecord<>(TOPIC, prefix + i, out.toByteArray()));
            }
            producer.flush();
        }
    }

    private static GenericRecord order(Schema schema, String orderId, String channel, BigInteger cents, long placedAt) {
        Schema money = schema.getField("amount").schema();
        Schema line = schema.getField("lines").schema().getElementType();
        GenericRecord amount = new GenericData.Record(money);
        amount.put("value", ByteBuffer.wrap(cents.toByteArray()));
        amount.put("currency", new GenericData.EnumSymbol(money.getField("currency").schema(), "EUR"));
        GenericRecord l = new GenericData.Record(line);
        l.put("sku", "mug");
        l.put("quantity", 1);
        l.put("unitPrice", ByteBuffer.wrap(cents.toByteArray()));
        GenericRecord r = new GenericData.Record(schema);
        r.put("orderId", orderId);
        r.put("customerId", "c-" + orderId);
        r.put("amount", amount);
        r.put("lines", List.of(l));
        r.put("channel", new GenericData.EnumSymbol(schema.getField("channel").schema(), channel));
        r.put("placedAt", placedAt);
        return r;
    }

    /**
     * The anchor: the topic's records from {@code from} (per partition; the beginning where absent) to its end, read
     * by a plain consumer and each decoded to a GenericRecord.
     */
    private static double plainConsumer(LocalMesh mesh, Schema schema, Map<TopicPartition, Long> from, int records) {
        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(schema);
        BinaryDecoder decoder = null;
        long start = System.nanoTime();
        long read = 0;
        try (KafkaConsumer<String, byte[]> consumer = adminConsumer(mesh)) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream().map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            partitions.forEach(tp -> consumer.seek(tp, from.getOrDefault(tp, 0L)));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    decoder = DecoderFactory.get().binaryDecoder(r.value(), 5, r.value().length - 5, decoder);
                    try {
                        reader.read(null, decoder);
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                    read++;
                }
            }
        }
        if (read < records) {
            throw new IllegalStateException("read " + read + " of " + records);
        }
        return read * 1e9 / (System.nanoTime() - start);
    }

    /**
     * Waits (up to 60 s) until the JIT compiles less than 50 ms a second: writing a million records leaves a queue of
     * the producer's and the broker's methods to compile, which would otherwise take a core from whatever is measured
     * next. Says how long it waited.
     */
    private static void settle() throws InterruptedException {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long started = System.nanoTime();
        long deadline = started + Duration.ofSeconds(60).toNanos();
        long compiled = jit.getTotalCompilationTime();
        do {
            long before = compiled;
            Thread.sleep(1000);
            compiled = jit.getTotalCompilationTime();
            if (compiled - before < 50) {
                break;
            }
        } while (System.nanoTime() < deadline);
        System.out.printf("(waited %d s for the JIT to settle)%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    private static Map<TopicPartition, Long> endOffsets(LocalMesh mesh) {
        try (KafkaConsumer<String, byte[]> consumer = adminConsumer(mesh)) {
            return consumer.endOffsets(consumer.partitionsFor(TOPIC).stream().map(p -> new TopicPartition(TOPIC, p.partition())).toList());
        }
    }

    private static KafkaConsumer<String, byte[]> adminConsumer(LocalMesh mesh) {
        Map<String, Object> config = new HashMap<>(mesh.credentials().flatMap(s -> s.find(MeshPrincipals.ADMIN)).orElseThrow().kafkaProperties());
        config.put("bootstrap.servers", mesh.bootstrapServers());
        config.put("isolation.level", "read_committed");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static JsonNode query(String url, MeshCredentials admin, String sql) throws Exception {
        HttpResponse<String> r = send(url + "/api/sql", admin, JSON.createObjectNode().put("sql", sql).toString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> send(String url, MeshCredentials user, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10))
                .header("Authorization", user.basicAuth());
        if (body != null) {
            r.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long rssMb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
