package dev.mesh.sdk.internal.streams;

import dev.mesh.sdk.internal.publish.DeadLetters;
import dev.mesh.sdk.internal.quality.CheckedDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * What a Streams app does with an input record it cannot decode, cannot process, or whose result cannot be
 * written: the record goes, as it was read, to the app's DLQ ({@code errors.dead.letter.queue.topic.name}) with
 * where it came from and a short reason, and the app goes on. The dead letter is sent by the task's own producer,
 * so under exactly-once it commits with the input offsets. Set by {@link ProductStreams} for every app; processors
 * have no way around it.
 */
public final class StreamsDeadLetters {
    public static final String STAGE_DECODE = "decode";
    public static final String STAGE_PROCESS = "process";
    public static final String STAGE_PRODUCE = "produce";
    public static final String PROCESSOR = "__dlq.processor";
    public static final String EXCEPTION = "__dlq.exception";
    /** A reason is one line and bounded: enough to act on, never a stack trace or a copy of a large input. */
    static final int MAX_REASON = 300;
    private static final Logger log = LoggerFactory.getLogger(StreamsDeadLetters.class);

    private StreamsDeadLetters() {
    }

    /** One line, bounded, naming the root cause: for headers, health and logs. */
    public static String reason(Throwable error) {
        Throwable root = error;
        for (int depth = 0; depth < 20 && root.getCause() != null && root.getCause() != root; depth++) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("");
        String text = root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 1) + "…";
    }

    /** The contract rule a record broke, if that is what {@code error} (or a cause of it) says. */
    static java.util.Optional<String> brokenRule(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof CheckedDeserializer.BrokenContractException broken) {
                return java.util.Optional.of(broken.failure().rule().name());
            }
        }
        return java.util.Optional.empty();
    }

    /** The Streams property under which an app's {@link Tally} reaches its handlers. */
    public static final String TALLY = "mesh.dead.letter.tally";

    /**
     * What an app has dead-lettered of records its own domain wrote: a product of the domain holding a record its
     * contract refuses, or that its own app cannot process, is an integrity failure of the domain, not a bad input
     * from elsewhere. The service's health reports it.
     */
    public static final class Tally {
        private final String domain;
        private long own;
        private String lastOrigin;
        private String lastReason;
        private java.time.Instant lastAt;

        public Tally(String domain) {
            this.domain = domain;
        }

        synchronized void record(String origin, String reason) {
            boolean ownProduct = origin != null && dev.mesh.sdk.contract.Naming.parseTopic(origin)
                    .filter(p -> p.product().domain().equals(domain)).isPresent();
            if (ownProduct) {
                own++;
                lastOrigin = origin;
                lastReason = reason;
                lastAt = java.time.Instant.now();
            }
        }

        /** Dead letters of records from the domain's own products. */
        public synchronized long own() {
            return own;
        }

        /** The last of them: {@code <origin topic>: <reason>}; empty if none. */
        public synchronized java.util.Optional<String> last() {
            return own == 0 ? java.util.Optional.empty() : java.util.Optional.of(lastOrigin + ": " + lastReason);
        }

        public synchronized java.util.Optional<java.time.Instant> lastAt() {
            return java.util.Optional.ofNullable(lastAt);
        }
    }

    /** What the three handlers share: the app's settings, and how a dead letter is made. */
    private abstract static class Handler implements Configurable {
        private String topic;
        private String app;
        private Tally tally;

        @Override
        public void configure(Map<String, ?> configs) {
            topic = (String) configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
            app = String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG));
            tally = configs.get(TALLY) instanceof Tally t ? t : null;
        }

        /** The dead letter of the source record the task was working on when {@code error} happened. */
        List<ProducerRecord<byte[], byte[]>> deadLetter(String stage, ErrorHandlerContext context, byte[] key,
                                                        byte[] value, Exception error) {
            String reason = reason(error);
            if (tally != null) {
                tally.record(context.topic(), reason);
            }
            log.warn("streams app {}: {} of {}-{}@{} failed in {}; dead-lettered to {}: {}", app, stage, context.topic(),
                    context.partition(), context.offset(), context.processorNodeId(), topic, reason);
            Headers h = context.headers() == null ? new RecordHeaders() : new RecordHeaders(context.headers().toArray());
            DeadLetters.describe(h, app, stage, reason, context.topic(), context.partition(), context.offset(), context.timestamp());
            DeadLetters.put(h, PROCESSOR, context.processorNodeId());
            DeadLetters.put(h, EXCEPTION, error.getClass().getName());
            brokenRule(error).ifPresent(rule -> {
                DeadLetters.put(h, DeadLetters.RULE_NAME, rule);
                DeadLetters.put(h, DeadLetters.RULE_MODE, STAGE_DECODE.equals(stage) ? "READ" : "WRITE");
            });
            return List.of(new ProducerRecord<>(topic, null, null, key, value, h));
        }
    }

    /** An input record that cannot be decoded. */
    public static final class Decoding extends Handler implements DeserializationExceptionHandler {
        @Override
        public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception error) {
            return Response.resume(deadLetter(STAGE_DECODE, context, record.key(), record.value(), error));
        }
    }

    /** A processor that throws on a record, or a record its results cannot be forwarded for. */
    public static final class Processing extends Handler implements ProcessingExceptionHandler {
        @Override
        public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception error) {
            return Response.resume(deadLetter(STAGE_PROCESS, context, context.sourceRawKey(), context.sourceRawValue(), error));
        }
    }

    /**
     * A result that can never be written (it does not serialize, or the broker refuses it as too large or invalid):
     * its source record is dead-lettered. Anything else (a broker away, a timeout) fails the task, which is retried.
     */
    public static final class Producing extends Handler implements ProductionExceptionHandler {
        @Override
        public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception error) {
            if (error instanceof RecordTooLargeException || error instanceof InvalidRecordException) {
                return Response.resume(deadLetter(STAGE_PRODUCE, context, context.sourceRawKey(), context.sourceRawValue(), error));
            }
            return Response.fail();
        }

        @Override
        public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception error,
                                                 SerializationExceptionOrigin origin) {
            return Response.resume(deadLetter(STAGE_PRODUCE, context, context.sourceRawKey(), context.sourceRawValue(), error));
        }
    }
}
