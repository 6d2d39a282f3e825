package dev.mesh.sdk.internal.publish;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * Headers of dead-lettered records. Rule failures carry Confluent's {@code __rule.*} headers, so tools that know
 * Confluent's data contracts read ours; all carry where the record came from.
 */
public final class DeadLetters {
    public static final String RULE_NAME = "__rule.name";
    public static final String RULE_MODE = "__rule.mode";
    public static final String RULE_SUBJECT = "__rule.subject";
    public static final String RULE_TOPIC = "__rule.topic";
    public static final String RULE_EXCEPTION = "__rule.exception";
    public static final String ORIGIN_TOPIC = "__origin.topic";
    public static final String ORIGIN_PARTITION = "__origin.partition";
    public static final String ORIGIN_OFFSET = "__origin.offset";
    public static final String ORIGIN_TIMESTAMP = "__origin.timestamp";
    public static final String DLQ_REASON = "__dlq.reason";
    public static final String DLQ_STAGE = "__dlq.stage";
    public static final String DLQ_GROUP = "__dlq.group";

    private DeadLetters() {
    }

    /** Headers of a record a publisher refused because a rule failed on write. */
    public static Headers ruleFailure(String rule, String subject, String topic, String reason, long timestamp) {
        Headers h = new RecordHeaders();
        put(h, RULE_NAME, rule);
        put(h, RULE_MODE, "WRITE");
        put(h, RULE_SUBJECT, subject);
        put(h, RULE_TOPIC, topic);
        put(h, RULE_EXCEPTION, reason);
        put(h, ORIGIN_TOPIC, topic);
        put(h, ORIGIN_TIMESTAMP, Long.toString(timestamp));
        return h;
    }

    /** Headers of a record a consumer could not decode or handle, plus the original record's headers. */
    public static Headers consumerFailure(String group, String stage, String reason, String topic, int partition,
                                          long offset, long timestamp, Headers original) {
        Headers h = new RecordHeaders(original.toArray());
        describe(h, group, stage, reason, topic, partition, offset, timestamp);
        return h;
    }

    /**
     * Where a dead letter came from and why, on top of whatever headers it carries: who refused it ({@code group},
     * a consumer group or a Streams application id), at which stage, and the bounded reason.
     */
    public static void describe(Headers h, String group, String stage, String reason, String topic, int partition,
                                long offset, long timestamp) {
        put(h, DLQ_GROUP, group);
        put(h, DLQ_STAGE, stage);
        put(h, DLQ_REASON, reason);
        put(h, ORIGIN_TOPIC, topic);
        put(h, ORIGIN_PARTITION, Integer.toString(partition));
        put(h, ORIGIN_OFFSET, Long.toString(offset));
        put(h, ORIGIN_TIMESTAMP, Long.toString(timestamp));
    }

    public static String header(Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}
