package dev.mesh.sdk.registry;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registry client settings under Confluent's names, so the same properties configure Confluent's own
 * serializers: {@code schema.registry.url} (comma-separated), {@code basic.auth.credentials.source} and
 * {@code basic.auth.user.info}, {@code schema.registry.ssl.*}, {@code auto.register.schemas},
 * {@code use.latest.version}. Ours: {@code schema.registry.max.retries}, {@code schema.registry.retry.backoff.ms},
 * {@code schema.registry.request.timeout.ms}.
 */
public record RegistryClientConfig(
        List<String> urls,
        Optional<String> userInfo,
        Optional<String> truststoreLocation,
        Optional<String> truststorePassword,
        String truststoreType,
        Optional<String> keystoreLocation,
        Optional<String> keystorePassword,
        String keystoreType,
        boolean autoRegisterSchemas,
        boolean useLatestVersion,
        int maxRetries,
        Duration retryBackoff,
        Duration requestTimeout) {

    public static final String URL = "schema.registry.url";
    public static final String CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String USER_INFO = "basic.auth.user.info";
    public static final String AUTO_REGISTER = "auto.register.schemas";
    public static final String USE_LATEST = "use.latest.version";
    public static final String SPECIFIC_READER = "specific.avro.reader";

    public static RegistryClientConfig from(Map<String, ?> configs) {
        String url = string(configs, URL).orElseThrow(() ->
                new IllegalArgumentException("'" + URL + "' is not set: the mesh needs a Schema Registry URL, e.g. http://localhost:8081"));
        String source = string(configs, CREDENTIALS_SOURCE).orElse("USER_INFO");
        Optional<String> userInfo = switch (source) {
            case "USER_INFO" -> string(configs, USER_INFO);
            case "URL" -> Optional.ofNullable(java.net.URI.create(url.split(",")[0].trim()).getUserInfo());
            default -> throw new IllegalArgumentException("'" + CREDENTIALS_SOURCE + "' = '" + source
                    + "' is not supported; use USER_INFO or URL");
        };
        return new RegistryClientConfig(
                Arrays.stream(url.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).toList(),
                userInfo,
                string(configs, "schema.registry.ssl.truststore.location"),
                string(configs, "schema.registry.ssl.truststore.password"),
                string(configs, "schema.registry.ssl.truststore.type").orElse("JKS"),
                string(configs, "schema.registry.ssl.keystore.location"),
                string(configs, "schema.registry.ssl.keystore.password"),
                string(configs, "schema.registry.ssl.keystore.type").orElse("JKS"),
                bool(configs, AUTO_REGISTER, true),
                bool(configs, USE_LATEST, false),
                Integer.parseInt(string(configs, "schema.registry.max.retries").orElse("3")),
                Duration.ofMillis(Long.parseLong(string(configs, "schema.registry.retry.backoff.ms").orElse("200"))),
                Duration.ofMillis(Long.parseLong(string(configs, "schema.registry.request.timeout.ms").orElse("10000"))));
    }

    static Optional<String> string(Map<String, ?> configs, String name) {
        Object v = configs.get(name);
        return v == null || v.toString().isBlank() ? Optional.empty() : Optional.of(v.toString());
    }

    static boolean bool(Map<String, ?> configs, String name, boolean defaultValue) {
        return string(configs, name).map(Boolean::parseBoolean).orElse(defaultValue);
    }
}
