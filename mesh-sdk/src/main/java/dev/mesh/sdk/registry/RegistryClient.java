package dev.mesh.sdk.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client of the Confluent Schema Registry REST API (ours or Confluent's). Schemas by id are immutable, so
 * they are cached for good: after the first use of an id the record path never calls the registry again.
 * Transient failures (connection refused, 5xx) are retried a bounded number of times across the configured
 * URLs; then the call fails saying which registry could not be reached and why.
 */
public final class RegistryClient {
    private static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final RegistryClientConfig config;
    private final HttpClient http;
    private final Optional<String> authorization;
    private final Map<Integer, RegisteredSchema> byId = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> parsedById = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Integer>> idBySubjectAndSchema = new ConcurrentHashMap<>();

    public RegistryClient(RegistryClientConfig config) {
        this.config = config;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(config.requestTimeout());
        if (config.truststoreLocation().isPresent() || config.keystoreLocation().isPresent()) {
            builder.sslContext(sslContext(config));
        }
        this.http = builder.build();
        this.authorization = config.userInfo().map(u ->
                "Basic " + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8)));
    }

    public static RegistryClient create(Map<String, ?> configs) {
        return new RegistryClient(RegistryClientConfig.from(configs));
    }

    public RegistryClientConfig config() {
        return config;
    }

    // ---- writes ----------------------------------------------------------------------------------------------

    /** Registers (R1) and returns the global id; cached per subject and schema text. */
    public int register(String subject, SchemaRequest request) {
        Map<String, Integer> known = idBySubjectAndSchema.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        String cacheKey = cacheKey(request);
        Integer cached = known.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        JsonNode reply = call("POST", "/subjects/" + encode(subject) + "/versions", request);
        int id = reply.path("id").asInt();
        known.put(cacheKey, id);
        return id;
    }

    /** The version of the subject holding this schema (R2), if any. */
    public Optional<RegisteredSchema> lookup(String subject, SchemaRequest request) {
        try {
            RegisteredSchema found = JSON.convertValue(call("POST", "/subjects/" + encode(subject), request),
                    RegisteredSchema.class);
            idBySubjectAndSchema.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(cacheKey(request), found.id());
            return Optional.of(found);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == 40401 || e.errorCode() == 40403) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * R15 with verbose reasons: empty when compatible, else what breaks. A subject with nothing registered yet is
     * compatible whatever the registry answers for it: Confluent's says {@code is_compatible: true}, Apicurio's
     * 404/40401.
     */
    public List<String> incompatibilities(String subject, SchemaRequest request) {
        JsonNode reply;
        try {
            reply = call("POST", "/compatibility/subjects/" + encode(subject) + "/versions?verbose=true", request);
        } catch (SchemaRegistryException e) {
            if (e.status() == 404 && (e.errorCode() == 40401 || e.errorCode() == 40402 || e.errorCode() == 404)) {
                return List.of();
            }
            throw e;
        }
        if (reply.path("is_compatible").asBoolean()) {
            return List.of();
        }
        List<String> messages = new ArrayList<>();
        reply.path("messages").forEach(m -> messages.add(m.asText()));
        return messages.isEmpty() ? List.of("incompatible (the registry gave no reason)") : messages;
    }

    public void setCompatibility(String subject, CompatibilityLevel level) {
        call("PUT", "/config/" + encode(subject), Map.of("compatibility", level.name()));
    }

    public Optional<CompatibilityLevel> compatibility(String subject) {
        try {
            return CompatibilityLevel.parse(call("GET", "/config/" + encode(subject), null).path("compatibilityLevel").asText());
        } catch (SchemaRegistryException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    // ---- reads -----------------------------------------------------------------------------------------------

    /** The schema with this global id (R3), with its contract; cached for good. */
    public RegisteredSchema byId(int id) {
        RegisteredSchema cached = byId.get(id);
        if (cached != null) {
            return cached;
        }
        RegisteredSchema fetched = JSON.convertValue(call("GET", "/schemas/ids/" + id, null), RegisteredSchema.class);
        byId.put(id, fetched);
        return fetched;
    }

    /** The parsed Avro schema with this id, references resolved; cached for good. */
    public Schema schemaById(int id) {
        Schema cached = parsedById.get(id);
        if (cached != null) {
            return cached;
        }
        RegisteredSchema registered = byId(id);
        Schema parsed = parse(registered.schema(), registered.references());
        parsedById.put(id, parsed);
        return parsed;
    }

    public RegisteredSchema latest(String subject) {
        return version(subject, "latest");
    }

    public RegisteredSchema version(String subject, int version) {
        return version(subject, String.valueOf(version));
    }

    private RegisteredSchema version(String subject, String version) {
        return JSON.convertValue(call("GET", "/subjects/" + encode(subject) + "/versions/" + version, null),
                RegisteredSchema.class);
    }

    public List<Integer> versions(String subject) {
        return JSON.convertValue(call("GET", "/subjects/" + encode(subject) + "/versions", null), new TypeReference<>() {
        });
    }

    /** The subjects a schema id is or was registered under (R5, soft-deleted versions too). */
    public List<String> subjectsOf(int id) {
        return JSON.convertValue(call("GET", "/schemas/ids/" + id + "/subjects?deleted=true", null), new TypeReference<>() {
        });
    }

    public List<String> subjects() {
        return JSON.convertValue(call("GET", "/subjects", null), new TypeReference<>() {
        });
    }

    /** Parses a schema text whose named types may come from references to other subjects' versions. */
    public Schema parse(String schema, List<SchemaReference> references) {
        Schema.Parser parser = new Schema.Parser();
        addReferences(parser, references == null ? List.of() : references, new HashSet<>());
        return parser.parse(schema);
    }

    private void addReferences(Schema.Parser parser, List<SchemaReference> references, Set<String> seen) {
        for (SchemaReference ref : references) {
            if (!seen.add(ref.subject() + "/" + ref.version())) {
                continue;
            }
            RegisteredSchema target = version(ref.subject(), ref.version());
            addReferences(parser, target.references() == null ? List.of() : target.references(), seen);
            parser.parse(target.schema());
        }
    }

    // ---- DEK Registry (Confluent's /dek-registry/v1) -----------------------------------------------------------

    /** The KEK by name; 404 (40470) when there is none. */
    public Kek kek(String name) {
        return JSON.convertValue(call("GET", "/dek-registry/v1/keks/" + encode(name), null), Kek.class);
    }

    /** Creates a KEK; 409 (40971) when one of that name exists. */
    public Kek createKek(Kek kek) {
        return JSON.convertValue(call("POST", "/dek-registry/v1/keks", kek), Kek.class);
    }

    /**
     * A version of the data key of {@code subject} under {@code kek} ({@code version} a number or {@code latest});
     * {@code deleted} also finds soft-deleted ones, as a reader of older records needs.
     */
    public Dek dek(String kek, String subject, String version, String algorithm, boolean deleted) {
        return JSON.convertValue(call("GET", "/dek-registry/v1/keks/" + encode(kek) + "/deks/" + encode(subject)
                + "/versions/" + version + "?algorithm=" + algorithm + "&deleted=" + deleted, null), Dek.class);
    }

    /** Creates a data key version; without {@code encryptedKeyMaterial} a shared KEK's registry makes it. */
    public Dek createDek(String kek, Dek dek) {
        return JSON.convertValue(call("POST", "/dek-registry/v1/keks/" + encode(kek) + "/deks/" + encode(dek.subject()),
                dek), Dek.class);
    }

    // ---- HTTP ------------------------------------------------------------------------------------------------

    private JsonNode call(String method, String path, Object body) {
        SchemaRegistryException last = null;
        int attempts = Math.max(1, config.maxRetries() + 1);
        for (int attempt = 0; attempt < attempts; attempt++) {
            String base = config.urls().get(attempt % config.urls().size());
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(config.requestTimeout())
                        .header("Accept", MEDIA_TYPE)
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
                if (body != null) {
                    request.header("Content-Type", MEDIA_TYPE);
                }
                authorization.ifPresent(a -> request.header("Authorization", a));
                HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                JsonNode json = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
                if (response.statusCode() / 100 == 2) {
                    return json;
                }
                SchemaRegistryException error = new SchemaRegistryException(response.statusCode(),
                        json.path("error_code").asInt(response.statusCode()),
                        method + " " + base + path + " failed: " + json.path("message").asText(new String(response.body(), StandardCharsets.UTF_8)));
                if (response.statusCode() < 500) {
                    throw error;
                }
                last = error;
            } catch (IOException e) {
                last = new SchemaRegistryException("schema registry at " + base + " could not be reached ("
                        + method + " " + path + "): " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted calling the schema registry", e);
            }
            backoff(attempt);
        }
        throw new SchemaRegistryException("schema registry " + config.urls() + " failed after " + attempts
                + " attempts: " + last.getMessage(), last);
    }

    private void backoff(int attempt) {
        try {
            Thread.sleep(config.retryBackoff().toMillis() * (1L << Math.min(attempt, 4)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String cacheKey(SchemaRequest request) {
        try {
            return JSON.writeValueAsString(request);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static SSLContext sslContext(RegistryClientConfig config) {
        try {
            TrustManagerFactory tmf = null;
            if (config.truststoreLocation().isPresent()) {
                KeyStore trust = load(config.truststoreType(), config.truststoreLocation().get(), config.truststorePassword());
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (config.keystoreLocation().isPresent()) {
                KeyStore keys = load(config.keystoreType(), config.keystoreLocation().get(), config.keystorePassword());
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, config.keystorePassword().map(String::toCharArray).orElse(null));
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ssl;
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot set up TLS for the schema registry client: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String type, String location, Optional<String> password) throws Exception {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password.map(String::toCharArray).orElse(null));
        }
        return store;
    }
}
