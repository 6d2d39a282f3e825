package dev.mesh.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registrations from many threads at once (through one or more registry instances), and the checks that the
 * registry's identity rules held under them.
 */
final class Workload {
    /** One registration as a client saw it. */
    record Registration(int thread, String subject, int schema, int status, int id, String reply) {
    }

    private Workload() {
    }

    /**
     * Thread {@code t} sends {@code perThread} registrations through {@code clients[t % clients]} (an instance that
     * does not answer, or answers 503 because it is stopping, is left for the next one, as the SDK's client does
     * with several URLs): registration
     * {@code i} puts schema {@code (t * 7 + i) % schemas} into subject {@code (t + i * 5) % subjects}: each thread
     * goes through every schema and (5 being coprime to the subject counts used) every subject, each from its own
     * starting point, so threads overlap on both. All threads start together; the whole run is bounded by {@code timeout}.
     */
    static List<Registration> run(List<RegistryHttp> clients, int threads, int perThread, List<String> subjects,
                                  List<String> schemas, Duration timeout) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<Registration>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Registration> done = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        int schema = (thread * 7 + i) % schemas.size();
                        String subject = subjects.get((thread + i * 5) % subjects.size());
                        RegistryHttp.Reply r = registerThroughAny(clients, thread, subject, schemas.get(schema));
                        int id = r.status() == 200 ? r.json().get("id").asInt() : -1;
                        done.add(new Registration(thread, subject, schema, r.status(), id, r.text()));
                    }
                    return done;
                }));
            }
            start.countDown();
            long deadline = System.nanoTime() + timeout.toNanos();
            List<Registration> all = new ArrayList<>();
            for (Future<List<Registration>> f : futures) {
                all.addAll(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).as("workload threads stopped").isTrue();
        }
    }

    private static RegistryHttp.Reply registerThroughAny(List<RegistryHttp> clients, int thread, String subject,
                                                         String schema) {
        RegistryHttp.Reply unavailable = null;
        for (int k = 0; k < clients.size(); k++) {
            try {
                RegistryHttp.Reply r = clients.get((thread + k) % clients.size()).register(subject, schema);
                if (r.status() != 503) {
                    return r;
                }
                unavailable = r;
            } catch (java.io.UncheckedIOException e) {
                unavailable = new RegistryHttp.Reply(-1, "", e.toString());
            }
        }
        return unavailable;
    }

    /**
     * Every registration succeeded; each schema has one id, whatever subject or thread registered it; different
     * schemas have different ids; each subject's versions are exactly 1..n, one per distinct schema sent to it, and
     * point at those schemas' ids; every id reads back as its schema.
     */
    static void assertConsistent(List<Registration> done, RegistryHttp view, List<String> schemas) {
        assertThat(done).allSatisfy(r -> assertThat(r.status()).as("registration %s", r).isEqualTo(200));

        Map<Integer, Set<Integer>> idsOfSchema = new TreeMap<>();
        Map<String, Set<Integer>> schemasOfSubject = new TreeMap<>();
        for (Registration r : done) {
            idsOfSchema.computeIfAbsent(r.schema(), k -> new TreeSet<>()).add(r.id());
            schemasOfSubject.computeIfAbsent(r.subject(), k -> new TreeSet<>()).add(r.schema());
        }
        Map<Integer, Integer> schemaOfId = new HashMap<>();
        idsOfSchema.forEach((schema, ids) -> {
            assertThat(ids).as("ids handed out for schema %d", schema).hasSize(1);
            Integer previous = schemaOfId.put(ids.iterator().next(), schema);
            assertThat(previous).as("id %s given to schemas %s and %s", ids, previous, schema).isNull();
        });

        schemasOfSubject.forEach((subject, sent) -> {
            List<Integer> versions = view.versions(subject);
            List<Integer> expected = new ArrayList<>();
            for (int v = 1; v <= sent.size(); v++) {
                expected.add(v);
            }
            assertThat(versions).as("versions of %s (sent schemas %s)", subject, sent).isEqualTo(expected);
            Set<Integer> idsOfVersions = new HashSet<>();
            for (int v : versions) {
                idsOfVersions.add(RegistryTestBase.ok(view.get("/subjects/" + subject + "/versions/" + v)).json()
                        .get("id").asInt());
            }
            Set<Integer> expectedIds = new HashSet<>();
            sent.forEach(schema -> expectedIds.add(idsOfSchema.get(schema).iterator().next()));
            assertThat(idsOfVersions).as("ids of the versions of %s", subject).isEqualTo(expectedIds);
        });

        schemaOfId.forEach((id, schema) -> RegistryTestBase.assertSameSchema(
                RegistryTestBase.ok(view.get("/schemas/ids/" + id)).json().get("schema").asText(), schemas.get(schema)));
    }

    /** What an instance serves: every subject's versions with their ids, and the highest id. */
    static String view(RegistryHttp h) {
        StringBuilder out = new StringBuilder();
        List<String> subjects = RegistryTestBase.strings(RegistryTestBase.ok(h.get("/subjects?deleted=true")).json());
        int anyId = -1;
        for (String s : subjects) {
            out.append(s).append(':');
            for (int v : RegistryTestBase.ints(RegistryTestBase.ok(h.get("/subjects/" + s + "/versions?deleted=true")).json())) {
                int id = RegistryTestBase.ok(h.get("/subjects/" + s + "/versions/" + v + "?deleted=true")).json()
                        .get("id").asInt();
                anyId = id;
                out.append(v).append('=').append(id).append(',');
            }
            out.append('\n');
        }
        if (anyId > 0) {
            out.append("maxId=").append(RegistryTestBase.ok(h.get("/schemas/ids/" + anyId + "?fetchMaxId=true")).json()
                    .get("maxId").asInt());
        }
        return out.toString();
    }
}
