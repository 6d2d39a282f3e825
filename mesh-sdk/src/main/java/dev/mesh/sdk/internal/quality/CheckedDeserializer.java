package dev.mesh.sdk.internal.quality;

import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.internal.serde.WireFormat;
import dev.mesh.sdk.registry.RegistryClient;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Reads a product's records as its contract promises them, for the SDK's readers (subscribers, Streams apps' inputs).
 * A record must be written with a schema registered under the product's own subject, and must keep the contract's
 * bounds ({@link ContractBounds}): a record written around the SDK (by a raw Kafka client) that breaks them is refused
 * here with the rule named, so the reader's DLQ takes it and no derived product is computed from it.
 */
public final class CheckedDeserializer<T> implements Deserializer<T> {
    private final Deserializer<T> decode;
    private final String subject;
    private final ContractBounds bounds;
    private final RegistryClient registry;
    private final Supplier<Instant> clock;
    /** Schema ids found registered under the product's subject (an id never leaves a subject's history). */
    private final Set<Integer> ofSubject = ConcurrentHashMap.newKeySet();

    public CheckedDeserializer(Deserializer<T> decode, ProductContract contract, RegistryClient registry, Supplier<Instant> clock) {
        this(decode, contract.subject(), ContractBounds.of(contract), registry, clock);
    }

    /** Records of the product whose value subject is {@code subject}, within {@code bounds}. */
    public CheckedDeserializer(Deserializer<T> decode, String subject, ContractBounds bounds, RegistryClient registry,
                               Supplier<Instant> clock) {
        this.decode = decode;
        this.subject = subject;
        this.bounds = bounds;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        int id = WireFormat.schemaId(data);
        if (!ofSubject.contains(id)) {
            java.util.List<String> subjects;
            try {
                subjects = registry.subjectsOf(id);
            } catch (RuntimeException e) {
                throw new SerializationException("unknown schema id " + id + ": " + e.getMessage(), e);
            }
            if (!subjects.contains(subject)) {
                throw new BrokenContractException(new RuleFailure(ContractBounds.SCHEMA_BOUNDS, "schema id " + id
                        + " is not a version of " + subject + ": the record was not written as this product"));
            }
            ofSubject.add(id);
        }
        // a dead letter is read from its queue's topic, but its encrypted fields are under the product's keys
        T value = decode instanceof dev.mesh.sdk.internal.serde.AvroDeserializer<T> avro
                ? avro.deserialize(topic, data, subject.substring(0, subject.length() - "-value".length()))
                : decode.deserialize(topic, data);
        RuleFailure failure = value instanceof IndexedRecord r ? bounds.check(r, clock.get()) : null;
        if (failure != null) {
            throw new BrokenContractException(failure);
        }
        return value;
    }

    /** A record that breaks its product's contract: a reader's dead letter, with the rule it broke. */
    public static final class BrokenContractException extends SerializationException {
        private final RuleFailure failure;

        public BrokenContractException(RuleFailure failure) {
            super("breaks its contract, rule " + failure.rule().name() + ": " + failure.reason());
            this.failure = failure;
        }

        public RuleFailure failure() {
            return failure;
        }
    }
}
