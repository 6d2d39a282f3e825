package dev.mesh.sdk.ops;

import dev.mesh.sdk.json.AvroJson;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.sdk.internal.publish.DeadLetters;
import dev.mesh.sdk.internal.serde.AvroDeserializer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A dead-lettered record: who refused it ({@code refusedBy}: the publisher, a consumer group or a Streams app),
 * by what rule or stage, why, and where it came from.
 */
public record DeadLetter(String dlqTopic, String refusedBy, long offset, int partition, String key, long timestamp,
                         String rule, String reason, String originTopic, JsonNode value) {

    /** Reads a DLQ record: rule (or stage), reason and origin from its headers, the value decoded for people. */
    static DeadLetter of(ConsumerRecord<String, byte[]> r, DeadLetterQueue queue, String defaultOrigin,
                         AvroDeserializer<GenericRecord> decode) {
        String rule = DeadLetters.header(r.headers(), DeadLetters.RULE_NAME);
        String stage = DeadLetters.header(r.headers(), DeadLetters.DLQ_STAGE);
        String reason = DeadLetters.header(r.headers(), DeadLetters.RULE_EXCEPTION);
        if (reason == null) {
            reason = DeadLetters.header(r.headers(), DeadLetters.DLQ_REASON);
        }
        String origin = DeadLetters.header(r.headers(), DeadLetters.ORIGIN_TOPIC);
        JsonNode value;
        try {
            value = AvroJson.toJson(decode.deserialize(r.topic(), r.value(), defaultOrigin), AvroJson.taggedWith(MeshOps.pii()));
        } catch (RuntimeException e) {
            // not its bytes: which of them are PII nobody can tell, and a reader may see a product without its PII
            value = MeshOps.text(r.value() == null ? "(null)" : "(undecodable: " + r.value().length + " bytes)");
        }
        return new DeadLetter(queue.topic(), queue.refusedBy(), r.offset(), r.partition(), r.key(), r.timestamp(),
                rule != null ? rule : stage, reason, origin != null ? origin : defaultOrigin, value);
    }

    /** One line, bounded, naming a failure's root cause, as dead letters and health say it. */
    public static String reasonOf(Throwable error) {
        return dev.mesh.sdk.internal.streams.StreamsDeadLetters.reason(error);
    }
}
