package dev.mesh.registry;

import dev.mesh.testkit.Await;
import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leader is killed (SIGKILL, its own JVM) while registrations flow through it and through a follower: the
 * follower is elected once the dead leader's session expires, writes it had forwarded are retried through itself,
 * no client sees a 5xx, and ids and versions stay unique and dense.
 */
@ExtendWith(KafkaExtension.class)
class LeaderCrashTest {

    private volatile boolean killed;

    private void kill(RegistryProcess leader) {
        try {
            leader.kill();
            killed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aKilledLeaderIsReplacedAndNoClientSeesAServerError(TestKafka kafka) throws Exception {
        String topic = TestKafka.uniqueName("_schemas");
        try (RegistryProcess leader = RegistryProcess.start(kafka.bootstrapServers(), topic);
             EmbeddedRegistry follower = EmbeddedRegistry.start(kafka.bootstrapServers(), 0,
                     Map.of("registry.topic", topic))) {
            RegistryHttp hl = new RegistryHttp(leader.url());
            RegistryHttp hf = new RegistryHttp(follower.url());
            Await.until(Duration.ofSeconds(30), "the follower to follow the first instance",
                    () -> hf.role().leader().equals(leader.url()));

            String name = Avro.uniqueName();
            List<String> schemas = IntStream.rangeClosed(1, 16).mapToObj(n -> Avro.versioned(name, n)).toList();
            List<String> subjects = IntStream.range(0, 4).mapToObj(i -> TestKafka.uniqueName("crash" + i)).toList();
            Thread killer = new Thread(() -> {
                try {
                    Await.until(Duration.ofSeconds(60), "registrations before the kill",
                            () -> hf.get("/subjects").json().size() >= 2);
                } finally {
                    kill(leader);
                }
            });
            killer.start();
            List<Workload.Registration> done = Workload.run(List.of(hl, hf), 6, 16, subjects, schemas,
                    Duration.ofSeconds(150));
            killer.join(60_000);

            assertThat(killed).as("the leader was killed during the run").isTrue();
            assertThat(done).hasSize(6 * 16);
            assertThat(done).allSatisfy(r -> assertThat(r.status()).as("%s", r).isLessThan(500));
            Workload.assertConsistent(done, hf, schemas);
            assertThat(hf.role().role()).isEqualTo("leader");
            Set<Integer> ids = done.stream().map(Workload.Registration::id).collect(Collectors.toCollection(TreeSet::new));
            assertThat(ids).as("ids are dense").containsExactlyElementsOf(
                    IntStream.rangeClosed(1, schemas.size()).boxed().toList());
        }
    }
}
