package dev.mesh.registry;

import dev.mesh.testkit.Await;
import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instances on one topic elect one leader through Kafka's group membership; followers forward writes to it and
 * hand back its answer; an ineligible instance never leads; a stopped leader is replaced within seconds.
 */
@ExtendWith(KafkaExtension.class)
class LeaderElectionTest {
    private static final Duration ELECTION = Duration.ofSeconds(20);

    private static EmbeddedRegistry start(TestKafka kafka, String topic, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put("registry.topic", topic);
        return EmbeddedRegistry.start(kafka.bootstrapServers(), 0, props);
    }

    private static void awaitLeader(RegistryHttp h, EmbeddedRegistry leader) {
        Await.until(ELECTION, h + " to follow " + leader.url(), () -> h.role().leader().equals(leader.url()));
    }

    @Test
    void theFirstInstanceLeadsAJoiningOneForwardsAndGetsTheLeadersAnswer(TestKafka kafka) {
        String topic = TestKafka.uniqueName("_schemas");
        try (EmbeddedRegistry a = start(kafka, topic, Map.of()); EmbeddedRegistry b = start(kafka, topic, Map.of())) {
            RegistryHttp ha = new RegistryHttp(a.url());
            RegistryHttp hb = new RegistryHttp(b.url());
            awaitLeader(ha, a);
            awaitLeader(hb, a);
            assertThat(ha.role().role()).isEqualTo("leader");
            assertThat(hb.role().role()).isEqualTo("follower");

            String s = TestKafka.uniqueName("fwd");
            String name = Avro.uniqueName();
            int id = hb.registerId(s, Avro.versioned(name, 1));
            assertThat(ha.registerId(s, Avro.versioned(name, 1))).isEqualTo(id);

            // the leader's refusal reaches the client through the follower unchanged
            String incompatible = Avro.record(name, Avro.field("f1", Avro.q("int")));
            RegistryHttp.Reply viaLeader = ha.register(s, incompatible);
            RegistryHttp.Reply viaFollower = hb.register(s, incompatible);
            assertThat(viaLeader.status()).isEqualTo(409);
            assertThat(viaFollower.status()).isEqualTo(viaLeader.status());
            assertThat(viaFollower.contentType()).startsWith(RegistryHttp.V1);
            assertThat(viaFollower.text()).isEqualTo(viaLeader.text());

            // config and deletes go through the follower too, and the leader applies them
            RegistryTestBase.ok(hb.put("/config/" + s, "{\"compatibility\":\"NONE\"}"));
            assertThat(ha.get("/config/" + s).json().path("compatibilityLevel").asText()).isEqualTo("NONE");
            RegistryTestBase.ok(hb.delete("/subjects/" + s + "/versions/1"));
            assertThat(ha.get("/subjects/" + s + "/versions/1").status()).isEqualTo(404);
        }
    }

    @Test
    void anIneligibleInstanceNeverLeadsAndSaysSoWhenNoOneCan(TestKafka kafka) {
        String topic = TestKafka.uniqueName("_schemas");
        try (EmbeddedRegistry ineligible = start(kafka, topic,
                Map.of("registry.leader-eligibility", false, "registry.timeout", "3s"))) {
            RegistryHttp hi = new RegistryHttp(ineligible.url());
            try (EmbeddedRegistry eligible = start(kafka, topic, Map.of())) {
                awaitLeader(hi, eligible);
                assertThat(hi.role().role()).isEqualTo("follower");
                String s = TestKafka.uniqueName("inel");
                int id = hi.registerId(s, Avro.versioned(Avro.uniqueName(), 1));
                assertThat(new RegistryHttp(eligible.url()).get("/schemas/ids/" + id).status()).isEqualTo(200);
            }
            Await.until(ELECTION, "the ineligible instance to know nobody leads",
                    () -> hi.role().leader().equals("none elected"));
            RegistryHttp.Reply r = hi.register(TestKafka.uniqueName("inel"), Avro.versioned(Avro.uniqueName(), 1));
            assertThat(r.status()).as(r.text()).isEqualTo(500);
            assertThat(r.errorCode()).isEqualTo(50004);
            assertThat(r.message()).contains("leader.eligibility=false");
        }
    }

    @Test
    void whenTheLeaderStopsUnderLoadAnotherLeadsAndEveryWriteSucceeds(TestKafka kafka) throws Exception {
        String topic = TestKafka.uniqueName("_schemas");
        EmbeddedRegistry a = start(kafka, topic, Map.of());
        try (EmbeddedRegistry b = start(kafka, topic, Map.of())) {
            RegistryHttp ha = new RegistryHttp(a.url());
            RegistryHttp hb = new RegistryHttp(b.url());
            awaitLeader(hb, a);
            String name = Avro.uniqueName();
            List<String> schemas = IntStream.rangeClosed(1, 12).mapToObj(n -> Avro.versioned(name, n)).toList();
            List<String> subjects = IntStream.range(0, 4).mapToObj(i -> TestKafka.uniqueName("stop" + i)).toList();

            Thread stopper = new Thread(() -> {
                Await.until(ELECTION, "some registrations before the leader stops",
                        () -> hb.get("/subjects").json().size() >= 2);
                a.close();
            });
            stopper.start();
            List<Workload.Registration> done = Workload.run(List.of(ha, hb), 6, 12, subjects, schemas,
                    Duration.ofSeconds(120));
            stopper.join(30_000);

            assertThat(done).hasSize(6 * 12);
            Workload.assertConsistent(done, hb, schemas);
            assertThat(hb.role().role()).isEqualTo("leader");
            assertThat(Workload.view(hb)).contains("maxId=" + schemas.size());
        } finally {
            a.close();
        }
    }
}
