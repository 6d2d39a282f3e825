package dev.mesh.sdk.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One principal's secret and the client settings made from it, under Kafka's and Confluent's own names: SASL/SCRAM
 * for Kafka ({@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}) and HTTP basic auth for the
 * registry ({@code basic.auth.credentials.source=USER_INFO}, {@code basic.auth.user.info}).
 *
 * @param user the principal's name; Kafka sees it as {@code User:<user>}
 */
public record MeshCredentials(String user, String secret) {
    public static final String MECHANISM = "SCRAM-SHA-512";

    public MeshCredentials {
        if (user == null || !user.matches("[A-Za-z0-9._@-]+")) {
            throw new IllegalArgumentException("principal name '" + user + "' must be letters, digits, '.', '_', '@' or '-'");
        }
        if (secret == null || secret.isEmpty() || secret.contains("\"") || secret.contains(":")) {
            throw new IllegalArgumentException("the secret of " + user + " must be non-empty, without '\"' or ':'");
        }
    }

    public String principal() {
        return "User:" + user;
    }

    /** Kafka client settings for a SASL_PLAINTEXT listener; over TLS set {@code security.protocol=SASL_SSL} as well. */
    public Map<String, Object> kafkaProperties() {
        return kafka(MECHANISM, "org.apache.kafka.common.security.scram.ScramLoginModule");
    }

    /** The same over SASL/PLAIN: for an admin that brokers know from their own JAAS configuration only. */
    public Map<String, Object> plainKafkaProperties() {
        return kafka("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule");
    }

    private Map<String, Object> kafka(String mechanism, String loginModule) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", mechanism);
        p.put("sasl.jaas.config", loginModule + " required username=\"" + user + "\" password=\"" + secret + "\";");
        return p;
    }

    /** Registry client settings, as Confluent's serializers name them. */
    public Map<String, Object> registryProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("basic.auth.credentials.source", "USER_INFO");
        p.put("basic.auth.user.info", user + ":" + secret);
        return p;
    }

    /** The HTTP {@code Authorization} header value for the mesh's services (basic auth). */
    public String basicAuth() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** Both: what a {@code client.properties} of the mesh holds. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> p = kafkaProperties();
        p.putAll(registryProperties());
        return p;
    }

    /** For messages: the user and the first characters of the secret only. */
    @Override
    public String toString() {
        return user + ":" + secret.substring(0, Math.min(4, secret.length())) + "…";
    }
}
