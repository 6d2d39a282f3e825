package dev.mesh.sdk.ops;

import dev.mesh.sdk.kafka.ReliableProducer;
import dev.mesh.sdk.internal.publish.RegistryRules;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.contract.QualityRule;
import dev.mesh.sdk.internal.publish.DeadLetters;
import dev.mesh.sdk.internal.quality.CheckedDeserializer;
import dev.mesh.sdk.internal.quality.CompiledRules;
import dev.mesh.sdk.internal.quality.ContractBounds;
import dev.mesh.sdk.internal.quality.RuleFailure;
import dev.mesh.sdk.registry.RegisteredSchema;
import dev.mesh.sdk.registry.Rule;
import dev.mesh.sdk.internal.serde.AvroDeserializer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A product's own DLQ (records its publisher refused by a contract rule) as a queue worked by redrives. A redrive re-validates each pending dead letter against the
 * contract registered now (its CEL rules, from the registry), republishes those that pass to their origin topic
 * with provenance headers, and appends those that still fail back to the DLQ with the new reason; then it commits
 * its position, so nothing is republished twice and nothing is lost.
 */
final class Redrive {
    static final String GROUP_PREFIX = "mesh-redrive-";
    static final String FROM = "__redrive.from";
    static final String AT = "__redrive.at";
    static final String ATTEMPTS = "__redrive.attempts";

    private final MeshOps ops;
    private final ProductEntry product;
    private final String dlq;
    private final String group;

    Redrive(MeshOps ops, ProductEntry product) {
        this.ops = ops;
        this.product = product;
        this.dlq = MeshOps.dlqOf(product);
        this.group = GROUP_PREFIX + dlq;
    }

    List<DeadLetter> pending(int limit) {
        List<DeadLetter> out = new ArrayList<>();
        read((record, letter) -> out.add(letter), limit);
        return out;
    }

    RedriveReport run() {
        RegisteredSchema current = ops.mesh().registry().latest(Naming.valueSubject(product.topic()));
        Schema schema = ops.mesh().registry().schemaById(current.id());
        CompiledRules rules = CompiledRules.compile(schema, RegistryRules.writeRules(current.ruleSet()));
        ContractBounds bounds = ContractBounds.of(schema, current.metadata() == null ? null : current.metadata().properties());
        CheckedDeserializer<GenericRecord> decode = new CheckedDeserializer<>(new AvroDeserializer<>(ops.mesh().registry(), schema),
                Naming.valueSubject(product.topic()), bounds, ops.mesh().registry(), Instant::now);
        List<DeadLetter> republished = new ArrayList<>();
        List<RedriveReport.StillFailing> failing = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(ReliableProducer.settings(ops.mesh().kafkaProperties()), new StringSerializer(), new ByteArraySerializer())) {
            Map<TopicPartition, OffsetAndMetadata> done = read((record, letter) -> {
                RuleFailure failure = verdict(record, letter, decode, rules);
                String rule = failure == null ? null : failure.rule().name();
                String reason = failure == null ? null : failure.reason();
                send(producer, rule == null ? republish(record, letter) : deadAgain(record, rule, reason));
                if (rule == null) {
                    republished.add(letter);
                } else {
                    failing.add(new RedriveReport.StillFailing(letter, rule, reason));
                }
            }, 0);
            producer.flush();
            try (KafkaConsumer<String, byte[]> consumer = ops.topics().consumer(Optional.of(group))) {
                consumer.commitSync(done);
            }
        }
        return new RedriveReport(dlq, republished, failing);
    }

    private static final dev.mesh.sdk.contract.QualityRule ORIGIN = new dev.mesh.sdk.contract.QualityRule("origin", null,
            "A product's DLQ holds that product's records only.", dev.mesh.sdk.contract.QualityRule.OnFailure.DLQ, 0);
    private static final dev.mesh.sdk.contract.QualityRule DECODE = new dev.mesh.sdk.contract.QualityRule("decode", null,
            "The record decodes with a schema of the product.", dev.mesh.sdk.contract.QualityRule.OnFailure.DLQ, 0);

    /** Why the dead letter may still not go back to the product, or null if it may. */
    private RuleFailure verdict(ConsumerRecord<String, byte[]> record, DeadLetter letter,
                                CheckedDeserializer<GenericRecord> decode, CompiledRules rules) {
        if (!product.topic().equals(letter.originTopic())) {
            return new RuleFailure(ORIGIN, "the dead letter names " + letter.originTopic() + " as its origin, not " + product.topic());
        }
        try {
            return rules.check(decode.deserialize(record.topic(), record.value()));
        } catch (CheckedDeserializer.BrokenContractException e) {
            return e.failure();
        } catch (RuntimeException e) {
            return new RuleFailure(DECODE, e.getMessage());
        }
    }

    private ProducerRecord<String, byte[]> republish(ConsumerRecord<String, byte[]> r, DeadLetter letter) {
        Headers h = new RecordHeaders();
        for (Header header : r.headers()) {
            if (!header.key().startsWith("__rule.") && !header.key().startsWith("__dlq.")) {
                h.add(header);
            }
        }
        put(h, FROM, dlq + "-" + r.partition() + "@" + r.offset());
        put(h, AT, Instant.now().toString());
        put(h, "__redrive.rule", letter.rule());
        put(h, "__redrive.reason", letter.reason());
        return new ProducerRecord<>(product.topic(), null, r.timestamp(), r.key(), r.value(), h);
    }

    private ProducerRecord<String, byte[]> deadAgain(ConsumerRecord<String, byte[]> r, String rule, String reason) {
        Headers h = new RecordHeaders(r.headers().toArray());
        put(h, DeadLetters.RULE_NAME, rule);
        put(h, DeadLetters.RULE_EXCEPTION, reason);
        String attempts = DeadLetters.header(r.headers(), ATTEMPTS);
        put(h, ATTEMPTS, Integer.toString(attempts == null ? 1 : Integer.parseInt(attempts) + 1));
        return new ProducerRecord<>(dlq, null, r.timestamp(), r.key(), r.value(), h);
    }

    private static void send(KafkaProducer<String, byte[]> producer, ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new MeshException("redrive could not write to " + record.topic() + ": " + e.getMessage(), e);
        }
    }

    private interface LetterSink {
        void accept(ConsumerRecord<String, byte[]> record, DeadLetter letter);
    }

    /** Reads the DLQ from the redrive group's position to the current end; returns the positions reached. */
    private Map<TopicPartition, OffsetAndMetadata> read(LetterSink sink, int limit) {
        var description = ops.topics().describe(dlq);
        if (description.isEmpty()) {
            return Map.of();
        }
        List<TopicPartition> partitions = TopicReader.partitions(description.get());
        Map<TopicPartition, Long> end = ops.topics().offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, OffsetAndMetadata> reached = new HashMap<>();
        AvroDeserializer<GenericRecord> decode = new AvroDeserializer<>();
        decode.configure(ops.mesh().config(), false);
        Map<TopicPartition, OffsetAndMetadata> committed = committed();
        return ops.topics().read(consumer -> {
            consumer.assign(partitions);
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = committed.get(tp);
                if (c == null) {
                    consumer.seekToBeginning(List.of(tp));
                } else {
                    consumer.seek(tp, c.offset());
                }
            }
            int count = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new MeshException("timed out reading " + dlq);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue;
                    }
                    sink.accept(r, letter(r, decode));
                    reached.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    if (limit > 0 && ++count >= limit) {
                        return reached;
                    }
                }
            }
            return reached;
        });
    }

    /** The redrive group's positions in the DLQ, asked of the cluster (no consumer of the group is started to read them). */
    private Map<TopicPartition, OffsetAndMetadata> committed() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = ops.mesh().admin().listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(TopicReader.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetAndMetadata> found = new HashMap<>();
            committed.forEach((tp, at) -> {
                if (at != null) {
                    found.put(tp, at);
                }
            });
            return found;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new MeshException("cannot read the positions of " + group + " in " + dlq + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted reading the positions of " + group);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new MeshException("timed out reading the positions of " + group + " in " + dlq);
        }
    }

    private DeadLetter letter(ConsumerRecord<String, byte[]> r, AvroDeserializer<GenericRecord> decode) {
        return DeadLetter.of(r, DeadLetterQueue.publisher(dlq), product.topic(), decode);
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
