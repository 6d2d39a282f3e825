package dev.mesh.registry;

import dev.mesh.testkit.Await;
import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.TestKafka;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.mesh.registry.RegistryTestBase.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two registry instances on one Kafka and one {@code _schemas} topic: one is elected leader and writes, the other
 * forwards; writes through either never hand out a conflicting id or version, and both converge.
 */
@ExtendWith(KafkaExtension.class)
class TwoInstancesTest {
    private EmbeddedRegistry a;
    private EmbeddedRegistry b;
    private RegistryHttp ha;
    private RegistryHttp hb;

    @BeforeEach
    void start(TestKafka kafka) {
        Map<String, Object> props = Map.of("registry.topic", TestKafka.uniqueName("_schemas"));
        a = EmbeddedRegistry.start(kafka.bootstrapServers(), 0, props);
        b = EmbeddedRegistry.start(kafka.bootstrapServers(), 0, props);
        ha = new RegistryHttp(a.url());
        hb = new RegistryHttp(b.url());
    }

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private void awaitConverged() {
        Await.until(Duration.ofSeconds(30), "both instances to serve the same state",
                () -> Workload.view(ha).equals(Workload.view(hb)));
    }

    @Test
    void alternatingWritesSeeEachOther() {
        String name = Avro.uniqueName();
        String s = TestKafka.uniqueName("alt");
        List<Integer> ids = new ArrayList<>();
        for (int n = 1; n <= 8; n++) {
            RegistryHttp writer = n % 2 == 1 ? ha : hb;
            ids.add(writer.registerId(s, Avro.versioned(name, n)));
        }
        assertThat(ids).doesNotHaveDuplicates().isSorted();
        awaitConverged();
        assertThat(ha.versions(s)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        for (int v = 1; v <= 8; v++) {
            assertThat(ok(hb.get("/subjects/" + s + "/versions/" + v)).json().get("id").asInt()).isEqualTo(ids.get(v - 1));
        }

        // the same schema through the other instance: same id, in the same subject no new version
        String t = TestKafka.uniqueName("alt-other");
        for (int n = 1; n <= 8; n++) {
            RegistryHttp writer = n % 2 == 0 ? ha : hb;
            assertThat(writer.registerId(t, Avro.versioned(name, n))).as("schema %d via the other instance", n)
                    .isEqualTo(ids.get(n - 1));
            assertThat((n % 2 == 0 ? hb : ha).registerId(s, Avro.versioned(name, n))).isEqualTo(ids.get(n - 1));
        }
        awaitConverged();
        assertThat(hb.versions(s)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(ha.versions(t)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);

        // config written through one is obeyed by the other
        ok(ha.put("/config/" + s, "{\"compatibility\":\"NONE\"}"));
        hb.registerId(s, Avro.distinct("Unrelated", 0));
        assertThat(ha.versions(s)).hasSize(9);
    }

    @Test
    void concurrentWritesThroughBothNeverConflictAndConverge() throws Exception {
        String name = Avro.uniqueName();
        List<String> schemas = IntStream.rangeClosed(1, 10).mapToObj(n -> Avro.versioned(name, n)).toList();
        List<String> subjects = IntStream.range(0, 4).mapToObj(i -> TestKafka.uniqueName("two" + i)).toList();

        List<Workload.Registration> done = Workload.run(List.of(ha, hb), 8, 15, subjects, schemas,
                Duration.ofSeconds(120));

        assertThat(done).hasSize(8 * 15);
        awaitConverged();
        Workload.assertConsistent(done, ha, schemas);
        Workload.assertConsistent(done, hb, schemas);
        String view = Workload.view(ha);
        assertThat(view).contains("maxId=" + schemas.size());
    }
}
