package dev.mesh.sdk;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** One record of a product as a subscriber's handler sees it. */
public record ProductRecord<T>(String key, T value, String topic, int partition, long offset, long timestamp, Headers headers) {

    /** The last value of a record header, as UTF-8 text. */
    public Optional<String> header(String name) {
        Header h = headers == null ? null : headers.lastHeader(name);
        return h == null || h.value() == null ? Optional.empty() : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }
}
