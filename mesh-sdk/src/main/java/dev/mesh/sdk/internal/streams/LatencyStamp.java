package dev.mesh.sdk.internal.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The last step before a derived product's sink: how long after its source record (the derived record's time, which
 * Kafka Streams carries over from the inputs) the derived record is written, as the {@code mesh.latency-ms} header of
 * the record (so any reader, the catalog's SLO evaluation among them, sees it) and as the histogram
 * {@code mesh.derived.latency} of the app.
 */
public final class LatencyStamp<V> implements FixedKeyProcessor<String, V, V> {
    public static final String HEADER = "mesh.latency-ms";

    private final Timer latency;
    private FixedKeyProcessorContext<String, V> context;

    private LatencyStamp(Timer latency) {
        this.latency = latency;
    }

    public static <V> FixedKeyProcessorSupplier<String, V, V> supplier(MeterRegistry meters, String product, String topic) {
        Timer timer = Timer.builder("mesh.derived.latency").tags("product", product, "topic", topic)
                .description("from the source record's time to the derived record's write")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(meters);
        return () -> new LatencyStamp<>(timer);
    }

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        long millis = Math.max(0, System.currentTimeMillis() - record.timestamp());
        latency.record(Duration.ofMillis(millis));
        record.headers().remove(HEADER);
        record.headers().add(HEADER, Long.toString(millis).getBytes(StandardCharsets.US_ASCII));
        context.forward(record);
    }
}
