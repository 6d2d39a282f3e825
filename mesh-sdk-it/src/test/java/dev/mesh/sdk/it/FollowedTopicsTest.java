package dev.mesh.sdk.it;

import dev.mesh.sdk.kafka.FollowedTopics;
import dev.mesh.testkit.Await;
import dev.mesh.testkit.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalog's and the grants' topics as services follow them: one consumer, each record folded once. */
@ExtendWith(TestMesh.class)
class FollowedTopicsTest {

    /** Every record by topic and key; tombstones remove; counts what it folds. */
    private static final class Latest implements FollowedTopics.Fold<Map<String, String>> {
        final Map<String, String> values = new TreeMap<>();
        final AtomicInteger folded;

        Latest(AtomicInteger folded) {
            this.folded = folded;
        }

        @Override
        public void apply(ConsumerRecord<String, String> r) {
            folded.incrementAndGet();
            if (r.value() == null) {
                values.remove(r.topic() + "/" + r.key());
            } else {
                values.put(r.topic() + "/" + r.key(), r.value());
            }
        }

        @Override
        public Map<String, String> state() {
            return Map.copyOf(values);
        }
    }

    @Test
    void aFollowerShowsWhatWasThereAtOnceAndEachLaterRecordWithoutReadingAgain(TestMesh t) throws Exception {
        TestKafka kafka = t.kafka();
        String prefix = TestKafka.uniqueName("followed") + ".";
        String first = kafka.createTopic(prefix + "a", 2);
        AtomicInteger folded = new AtomicInteger();
        AtomicInteger folds = new AtomicInteger();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>(first, "k" + (i % 10), "v" + i)).get(10, TimeUnit.SECONDS);
            }
            try (FollowedTopics<Map<String, String>> followed = FollowedTopics.prefix(kafka.consumerProps(), prefix, () -> {
                folds.incrementAndGet();
                return new Latest(folded);
            })) {
                // the first read waits until the topics are read to their ends: every key, with its latest value
                Map<String, String> atStart = followed.current();
                assertThat(atStart).hasSize(10).containsEntry(first + "/k9", "v49").containsEntry(first + "/k0", "v40");

                producer.send(new ProducerRecord<>(first, "k1", "changed")).get(10, TimeUnit.SECONDS);
                producer.send(new ProducerRecord<>(first, "k2", null)).get(10, TimeUnit.SECONDS);
                String second = kafka.createTopic(prefix + "b", 1);
                producer.send(new ProducerRecord<>(second, "new", "topic")).get(10, TimeUnit.SECONDS);
                Await.until(Duration.ofSeconds(30), "the change, the tombstone and the new topic followed", () -> {
                    Map<String, String> now = followed.current();
                    return "changed".equals(now.get(first + "/k1")) && !now.containsKey(first + "/k2")
                            && "topic".equals(now.get(second + "/new"));
                });
                assertThat(atStart).containsEntry(first + "/k1", "v41"); // a published state never changes under its reader
                assertThat(folds).as("one consumer from start to end").hasValue(1);
                assertThat(folded).as("each record folded once: 50, then 3").hasValue(53);
            }
        }
    }

    @Test
    void aTopicThatDoesNotExistIsTheStateOfNoRecordAndIsFollowedOnceMade(TestMesh t) throws Exception {
        TestKafka kafka = t.kafka();
        String prefix = TestKafka.uniqueName("followed-later") + ".";
        try (FollowedTopics<Map<String, String>> followed = FollowedTopics.prefix(kafka.consumerProps(), prefix, () -> new Latest(new AtomicInteger()))) {
            assertThat(followed.current()).isEmpty();
            String made = kafka.createTopic(prefix + "grants", 1);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(made, "g1", "granted")).get(10, TimeUnit.SECONDS);
            }
            Await.until(Duration.ofSeconds(30), "the topic made later followed", () -> "granted".equals(followed.current().get(made + "/g1")));
        }
    }
}
