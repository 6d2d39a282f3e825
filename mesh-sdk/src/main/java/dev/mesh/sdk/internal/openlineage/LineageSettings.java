package dev.mesh.sdk.internal.openlineage;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mesh.sdk.errors.MeshException;
import io.openlineage.client.OpenLineageClientUtils;
import io.openlineage.client.OpenLineageConfig;
import io.openlineage.client.transports.TransportConfig;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * OpenLineage's settings in the application's flat configuration, under the names OpenLineage's own integrations
 * use ({@code openlineage.transport.type}, {@code openlineage.transport.url}, {@code openlineage.transport.endpoint},
 * {@code openlineage.transport.headers.Authorization}, {@code openlineage.transport.auth.apiKey},
 * {@code openlineage.transport.topicName}, {@code openlineage.transport.properties.bootstrap.servers}, ...,
 * {@code openlineage.job.namespace}, {@code openlineage.trackingIntervalInSeconds}): the transport part is read by
 * the client's own configuration classes, so every transport and option it knows works as documented there.
 */
final class LineageSettings {
    static final String PREFIX = "openlineage.";
    static final String TRANSPORT = PREFIX + "transport.";
    static final String TYPE = TRANSPORT + "type";
    static final String NAMESPACE = PREFIX + "job.namespace";
    static final String INTERVAL = PREFIX + "trackingIntervalInSeconds";
    static final String DEFAULT_NAMESPACE = "mesh";
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
    /** Below these keys the rest of a flat name is one key (a header or a Kafka property has dots of its own). */
    private static final Set<String> MAPS = Set.of("headers", "properties", "urlParams");

    private LineageSettings() {
    }

    /** The transport the settings name; empty when none is named or it is {@code none}. */
    static Optional<TransportConfig> transport(Map<String, ?> config) {
        Object type = config.get(TYPE);
        if (type == null || type.toString().isBlank() || type.toString().equals("none")) {
            return Optional.empty();
        }
        Map<String, Object> transport = new LinkedHashMap<>();
        config.forEach((name, value) -> {
            if (name.startsWith(TRANSPORT)) {
                put(transport, name.substring(TRANSPORT.length()), value);
            }
        });
        try {
            String json = OpenLineageClientUtils.toJson(Map.of("transport", transport));
            OpenLineageConfig<?> parsed = OpenLineageClientUtils.loadOpenLineageConfigJson(
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), new TypeReference<OpenLineageConfig<?>>() { });
            return Optional.ofNullable(parsed.getTransportConfig());
        } catch (RuntimeException e) {
            throw new MeshException("openlineage.transport.* is not a transport OpenLineage knows (" + TYPE + "=" + type
                    + "): " + rootMessage(e), e);
        }
    }

    static String namespace(Map<String, ?> config) {
        Object namespace = config.get(NAMESPACE);
        return namespace == null || namespace.toString().isBlank() ? DEFAULT_NAMESPACE : namespace.toString();
    }

    static Duration interval(Map<String, ?> config) {
        Object seconds = config.get(INTERVAL);
        if (seconds == null) {
            return DEFAULT_INTERVAL;
        }
        try {
            long s = Long.parseLong(seconds.toString().trim());
            if (s > 0) {
                return Duration.ofSeconds(s);
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new MeshException(INTERVAL + " is '" + seconds + "'; give a whole number of seconds above 0");
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> into, String path, Object value) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            into.put(path, value);
            return;
        }
        String head = path.substring(0, dot);
        String rest = path.substring(dot + 1);
        Map<String, Object> inner = (Map<String, Object>) into.computeIfAbsent(head, k -> new LinkedHashMap<>());
        if (MAPS.contains(head)) {
            inner.put(rest, value);
        } else {
            put(inner, rest, value);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
