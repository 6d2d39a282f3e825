package dev.mesh.registry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.mesh.registry.Avro.field;
import static dev.mesh.registry.Avro.record;
import static org.assertj.core.api.Assertions.assertThat;

/** Many clients registering at once through one instance. */
class ConcurrencyTest extends RegistryTestBase {

    @Test
    void concurrentOverlappingRegistrationsKeepIdsAndVersionsExact() throws Exception {
        String name = Avro.uniqueName();
        // versions of one record: any of them is BACKWARD compatible with any other, in any order
        List<String> schemas = IntStream.rangeClosed(1, 12).mapToObj(n -> Avro.versioned(name, n)).toList();
        List<String> subjects = IntStream.range(0, 6).mapToObj(i -> subject("conc" + i)).toList();
        int before = maxIdOrZero();

        List<Workload.Registration> done = Workload.run(List.of(http), 8, 40, subjects, schemas, Duration.ofSeconds(90));

        assertThat(done).hasSize(8 * 40);
        Workload.assertConsistent(done, http, schemas);
        long distinct = done.stream().map(Workload.Registration::schema).distinct().count();
        assertThat(distinct).isEqualTo(schemas.size());
        assertThat(maxIdOrZero()).as("one new id per distinct schema, none burnt").isEqualTo(before + distinct);

        // and again, now that everything exists: the same ids, nothing new
        List<Workload.Registration> again = Workload.run(List.of(http), 8, 10, subjects, schemas, Duration.ofSeconds(60));
        Workload.assertConsistent(again, http, schemas);
        for (Workload.Registration r : again) {
            assertThat(r.id()).isEqualTo(done.stream().filter(d -> d.schema() == r.schema()).findFirst().orElseThrow().id());
        }
        assertThat(maxIdOrZero()).isEqualTo(before + distinct);
    }

    @Test
    void racingIncompatibleSchemasIntoOneSubjectLetExactlyOneWin() throws Exception {
        String name = Avro.uniqueName();
        String[] types = {"\"boolean\"", "\"int\"", "\"string\"", "\"null\"", Avro.arrayOf("\"boolean\""),
                "{\"type\":\"map\",\"values\":\"boolean\"}", Avro.enumOf(name + "E", "X"),
                "{\"type\":\"fixed\",\"name\":\"" + name + "F\",\"size\":3}"};
        List<String> schemas = new ArrayList<>();
        for (String type : types) {
            schemas.add(record(name, field("a", type)));
        }
        String s = subject("race");
        // one thread per schema, all into the same subject
        List<Workload.Registration> done = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            String subject = s + "-" + round;
            done.clear();
            done.addAll(raceAll(subject, schemas));
            List<Workload.Registration> winners = done.stream().filter(r -> r.status() == 200).toList();
            assertThat(winners).as("round %d: %s", round, done).hasSize(1);
            assertThat(done.stream().filter(r -> r.status() != 200))
                    .allSatisfy(r -> assertThat(r.status()).as(r.reply()).isEqualTo(409));
            assertThat(http.versions(subject)).containsExactly(1);
            assertSameSchema(ok(http.get("/subjects/" + subject + "/versions/1")).json().get("schema").asText(),
                    schemas.get(winners.get(0).schema()));
        }
    }

    private static List<Workload.Registration> raceAll(String subject, List<String> schemas) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(schemas.size());
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<Workload.Registration>> futures = new ArrayList<>();
            for (int i = 0; i < schemas.size(); i++) {
                int schema = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    RegistryHttp.Reply r = http.register(subject, schemas.get(schema));
                    return new Workload.Registration(schema, subject, schema, r.status(),
                            r.status() == 200 ? r.json().get("id").asInt() : -1, r.text());
                }));
            }
            start.countDown();
            List<Workload.Registration> out = new ArrayList<>();
            for (var f : futures) {
                out.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
    }

    private static int maxIdOrZero() {
        int any = http.registerId(subject("probe"), Avro.versioned("probe.Probe", 1));
        return ok(http.get("/schemas/ids/" + any + "?fetchMaxId=true")).json().get("maxId").asInt();
    }
}
