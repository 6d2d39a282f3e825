package dev.mesh.registry.bench;

import dev.mesh.registry.EmbeddedRegistry;
import dev.mesh.testkit.EmbeddedKafka;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small load harness (not a unit test): an embedded Kafka broker and an embedded registry in this JVM, measured
 * over HTTP the way clients use it.
 * <ul>
 *   <li>lookup by id, GET /schemas/ids/{id}: latency p50/p99 from one client thread, then throughput (and latency)
 *   with several client threads for a fixed time;</li>
 *   <li>registration of new schemas, POST /subjects/{s}/versions: latency p50/p99 from one client thread (each one a
 *   Kafka transaction, read back before the reply);</li>
 *   <li>both again on a second instance, a follower: lookups are local, registrations are forwarded to the leader.</li>
 * </ul>
 * Settings as system properties: bench.schemas (ids to look up, default 1000), bench.lookups (single-thread lookups,
 * 20000), bench.threads (client threads for throughput, 8), bench.seconds (throughput duration, 10),
 * bench.registrations (timed new schemas, 500).
 *
 * <pre>
 * ./mvnw -B -q -pl mesh-registry test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.mesh.registry.bench.RegistryBenchmark
 * </pre>
 */
public final class RegistryBenchmark {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    private RegistryBenchmark(String base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        System.out.printf(Locale.ROOT, "[%.1f s] starting Kafka and the registry%n", uptime());
        int schemas = Integer.getInteger("bench.schemas", 1000);
        int lookups = Integer.getInteger("bench.lookups", 20_000);
        int threads = Integer.getInteger("bench.threads", 8);
        int seconds = Integer.getInteger("bench.seconds", 10);
        int registrations = Integer.getInteger("bench.registrations", 500);

        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             EmbeddedRegistry registry = EmbeddedRegistry.start(kafka.bootstrapServers(), 0,
                     Map.of("registry.topic", "_schemas-bench"))) {
            RegistryBenchmark bench = new RegistryBenchmark(registry.url());
            System.out.printf(Locale.ROOT, "%nregistry %s on Kafka %s; %d cores, Java %s%n", registry.url(),
                    kafka.bootstrapServers(), Runtime.getRuntime().availableProcessors(), Runtime.version());

            // the set-up puts unrelated records into shared subjects: no compatibility rules
            bench.put("/config", "{\"compatibility\":\"NONE\"}");
            // set up: ids to look up, registered untimed (also warms up the write path)
            long setUp = System.nanoTime();
            int[] ids = new int[schemas];
            for (int i = 0; i < schemas; i++) {
                ids[i] = bench.register("bench-lookup-" + (i % 50) + "-value", schema("Lookup" + i));
            }

            System.out.printf(Locale.ROOT, "set-up: %d schemas registered in %.1f s%n", schemas,
                    (System.nanoTime() - setUp) / 1e9);

            // lookup by id, one client thread
            bench.lookupLoop(ids, lookups); // warm-up
            long[] single = bench.lookupLoop(ids, lookups);
            report("lookup by id, 1 client thread", single, single.length, sum(single));

            // lookup by id, several client threads for a fixed time
            bench.lookupConcurrently(ids, threads, 3); // warm-up
            Concurrent load = bench.lookupConcurrently(ids, threads, seconds);
            report("lookup by id, " + threads + " client threads, " + seconds + " s", load.latencies(),
                    load.latencies().length, TimeUnit.SECONDS.toNanos(seconds) * threads);
            System.out.printf(Locale.ROOT, "  throughput: %.0f lookups/s (%d in %d s)%n",
                    load.latencies().length / (double) seconds, load.latencies().length, seconds);

            // registration of new schemas, one client thread
            for (int i = 0; i < 50; i++) {
                bench.register("bench-warm-" + i + "-value", schema("Warm" + i)); // warm-up
            }
            long[] writes = new long[registrations];
            long started = System.nanoTime();
            for (int i = 0; i < registrations; i++) {
                long t0 = System.nanoTime();
                bench.register("bench-register-" + i + "-value", schema("Register" + i));
                writes[i] = System.nanoTime() - t0;
            }
            long elapsed = System.nanoTime() - started;
            report("register a new schema, 1 client thread", writes, writes.length, elapsed);

            // the same through a second instance, which forwards writes to the leader
            try (EmbeddedRegistry follower = EmbeddedRegistry.start(kafka.bootstrapServers(), 0,
                    Map.of("registry.topic", "_schemas-bench"))) {
                RegistryBenchmark viaFollower = new RegistryBenchmark(follower.url());
                viaFollower.awaitFollowing(registry.url());
                viaFollower.lookupLoop(ids, lookups); // warm-up
                long[] followerReads = viaFollower.lookupLoop(ids, lookups);
                report("lookup by id on a follower, 1 client thread", followerReads, followerReads.length, sum(followerReads));
                for (int i = 0; i < 50; i++) {
                    viaFollower.register("bench-fwarm-" + i + "-value", schema("FWarm" + i)); // warm-up
                }
                long[] forwarded = new long[registrations];
                long start = System.nanoTime();
                for (int i = 0; i < registrations; i++) {
                    long t0 = System.nanoTime();
                    viaFollower.register("bench-forwarded-" + i + "-value", schema("Forwarded" + i));
                    forwarded[i] = System.nanoTime() - t0;
                }
                report("register a new schema through a follower, 1 client thread", forwarded, forwarded.length,
                        System.nanoTime() - start);
            }
            System.out.printf(Locale.ROOT, "[%.1f s] done, stopping the registry and Kafka%n", uptime());
        }
        System.out.printf(Locale.ROOT, "[%.1f s] stopped%n", uptime());
    }

    private static double uptime() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
    }

    private static String schema(String name) {
        return "{\"type\":\"record\",\"name\":\"" + name + "\",\"namespace\":\"bench\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"amount\",\"type\":\"double\"},"
                + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
    }

    private int register(String subject, String schema) throws IOException, InterruptedException {
        String body = "{\"schema\":" + quote(schema) + "}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = ID.matcher(r.body());
        if (r.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("register " + subject + ": " + r.statusCode() + " " + r.body());
        }
        return Integer.parseInt(m.group(1));
    }

    private void put(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("PUT " + path + ": " + r.statusCode() + " " + r.body());
        }
    }

    /** Waits until this instance's /health names {@code leaderUrl} as the leader. */
    private void awaitFollowing(String leaderUrl) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.body().contains("\"leader\":\"" + leaderUrl + "\"")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(base + " does not follow " + leaderUrl);
    }

    private void lookup(int id) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/schemas/ids/" + id)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("lookup " + id + ": " + r.statusCode() + " " + r.body());
        }
    }

    private long[] lookupLoop(int[] ids, int n) throws IOException, InterruptedException {
        long[] latencies = new long[n];
        for (int i = 0; i < n; i++) {
            int id = ids[ThreadLocalRandom.current().nextInt(ids.length)];
            long t0 = System.nanoTime();
            lookup(id);
            latencies[i] = System.nanoTime() - t0;
        }
        return latencies;
    }

    private record Concurrent(long[] latencies) {
    }

    private Concurrent lookupConcurrently(int[] ids, int threads, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    long[] lat = new long[1 << 16];
                    int n = 0;
                    while (System.nanoTime() < end) {
                        int id = ids[ThreadLocalRandom.current().nextInt(ids.length)];
                        long t0 = System.nanoTime();
                        lookup(id);
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = System.nanoTime() - t0;
                    }
                    return Arrays.copyOf(lat, n);
                }));
            }
            List<long[]> parts = new ArrayList<>();
            for (Future<long[]> f : futures) {
                parts.add(f.get(seconds + 60L, TimeUnit.SECONDS));
            }
            long[] all = parts.stream().flatMapToLong(Arrays::stream).toArray();
            return new Concurrent(all);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void report(String what, long[] latencies, int count, long elapsedNanos) {
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%s: n=%d  p50=%.3f ms  p99=%.3f ms  max=%.3f ms  mean=%.3f ms%n", what, count,
                percentile(sorted, 50) / 1e6, percentile(sorted, 99) / 1e6, sorted[sorted.length - 1] / 1e6,
                sum(sorted) / (double) sorted.length / 1e6);
        if (what.contains("1 client thread")) {
            System.out.printf(Locale.ROOT, "  throughput: %.0f requests/s%n", count / (elapsedNanos / 1e9));
        }
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
