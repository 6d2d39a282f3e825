package dev.mesh.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry that speaks the Confluent API the way other registries do where that API leaves room, so the mesh
 * can be tested against them: a subject with nothing registered answers 404/40401 to a compatibility check
 * (Apicurio), {@code metadata} and {@code ruleSet} are neither stored nor returned (registries before Confluent
 * 7.4, Apicurio), and {@code /versions/latest} of an unknown subject is 40401. It keeps subjects, versions and ids
 * in memory and checks no compatibility: it stands in for a real registry's variants, not for its rules.
 */
public final class VariantRegistry implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Pattern VERSIONS = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern VERSION = Pattern.compile("/subjects/([^/]+)/versions/([^/]+)");
    private static final Pattern SUBJECT = Pattern.compile("/subjects/([^/]+)");
    private static final Pattern COMPATIBILITY = Pattern.compile("/compatibility/subjects/([^/]+)/versions(/[^/]+)?");
    private static final Pattern CONFIG = Pattern.compile("/config/([^/]+)");
    private static final Pattern BY_ID = Pattern.compile("/schemas/ids/([0-9]+)");
    private static final Pattern SUBJECTS_OF_ID = Pattern.compile("/schemas/ids/([0-9]+)/subjects");

    private final HttpServer server;
    private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();
    private final List<String> schemas = new ArrayList<>();
    private final Map<String, String> config = new HashMap<>();
    private final List<String> requests = new ArrayList<>();

    private VariantRegistry(HttpServer server) {
        this.server = server;
    }

    /** On a free loopback port. */
    public static VariantRegistry start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            VariantRegistry registry = new VariantRegistry(server);
            server.createContext("/", registry::handle);
            server.setExecutor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "variant-registry");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return registry;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the variant registry", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The schema text registered under this id. */
    public synchronized java.util.Optional<String> schema(int id) {
        return id >= 1 && id <= schemas.size() ? java.util.Optional.of(schemas.get(id - 1)) : java.util.Optional.empty();
    }

    /** Method and path of every request so far, e.g. {@code POST /subjects/x/versions}. */
    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            Reply reply;
            synchronized (this) {
                requests.add(method + " " + path);
                reply = route(method, path, body);
            }
            byte[] bytes = JSON.writeValueAsBytes(reply.body());
            exchange.getResponseHeaders().set("Content-Type", MEDIA_TYPE);
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private record Reply(int status, Object body) {
    }

    private static Reply error(int status, int code, String message) {
        return new Reply(status, Map.of("error_code", code, "message", message));
    }

    private Reply route(String method, String path, JsonNode body) {
        Matcher m;
        if (method.equals("GET") && path.equals("/subjects")) {
            return new Reply(200, subjects.keySet());
        }
        if (method.equals("GET") && path.equals("/config")) {
            return new Reply(200, Map.of("compatibilityLevel", "BACKWARD"));
        }
        if ((m = COMPATIBILITY.matcher(path)).matches() && method.equals("POST")) {
            return subjects.containsKey(decode(m.group(1))) ? new Reply(200, Map.of("is_compatible", true))
                    : error(404, 40401, "Subject '" + decode(m.group(1)) + "' not found.");
        }
        if ((m = CONFIG.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            if (method.equals("PUT")) {
                config.put(subject, body.path("compatibility").asText());
                return new Reply(200, Map.of("compatibility", config.get(subject)));
            }
            return config.containsKey(subject) ? new Reply(200, Map.of("compatibilityLevel", config.get(subject)))
                    : error(404, 40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
        }
        if ((m = BY_ID.matcher(path)).matches() && method.equals("GET")) {
            int id = Integer.parseInt(m.group(1));
            return id >= 1 && id <= schemas.size() ? new Reply(200, Map.of("schema", schemas.get(id - 1)))
                    : error(404, 40403, "Schema " + id + " not found");
        }
        if ((m = SUBJECTS_OF_ID.matcher(path)).matches() && method.equals("GET")) {
            int id = Integer.parseInt(m.group(1));
            List<String> of = subjects.entrySet().stream().filter(e -> e.getValue().contains(id)).map(Map.Entry::getKey).toList();
            return of.isEmpty() ? error(404, 40403, "Schema " + id + " not found") : new Reply(200, of);
        }
        if ((m = VERSION.matcher(path)).matches() && method.equals("GET")) {
            String subject = decode(m.group(1));
            List<Integer> ids = subjects.get(subject);
            if (ids == null) {
                return error(404, 40401, "Subject '" + subject + "' not found.");
            }
            int version = m.group(2).equals("latest") || m.group(2).equals("-1") ? ids.size() : Integer.parseInt(m.group(2));
            return version >= 1 && version <= ids.size() ? new Reply(200, view(subject, version))
                    : error(404, 40402, "Version " + m.group(2) + " not found.");
        }
        if ((m = VERSIONS.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            if (method.equals("POST")) {
                return new Reply(200, Map.of("id", register(subject, body.path("schema").asText())));
            }
            List<Integer> ids = subjects.get(subject);
            if (ids == null) {
                return error(404, 40401, "Subject '" + subject + "' not found.");
            }
            ArrayNode versions = JSON.createArrayNode();
            for (int v = 1; v <= ids.size(); v++) {
                versions.add(v);
            }
            return new Reply(200, versions);
        }
        if ((m = SUBJECT.matcher(path)).matches() && method.equals("POST")) {
            String subject = decode(m.group(1));
            List<Integer> ids = subjects.get(subject);
            if (ids == null) {
                return error(404, 40401, "Subject '" + subject + "' not found.");
            }
            int id = schemas.indexOf(body.path("schema").asText()) + 1;
            return ids.contains(id) ? new Reply(200, view(subject, ids.indexOf(id) + 1))
                    : error(404, 40403, "Schema not found");
        }
        return error(404, 404, "HTTP 404 Not Found");
    }

    private int register(String subject, String schema) {
        int id = schemas.indexOf(schema) + 1;
        if (id == 0) {
            schemas.add(schema);
            id = schemas.size();
        }
        List<Integer> ids = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!ids.contains(id)) {
            ids.add(id);
        }
        return id;
    }

    private ObjectNode view(String subject, int version) {
        int id = subjects.get(subject).get(version - 1);
        ObjectNode out = JSON.createObjectNode();
        out.put("subject", subject);
        out.put("version", version);
        out.put("id", id);
        out.put("schema", schemas.get(id - 1));
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
