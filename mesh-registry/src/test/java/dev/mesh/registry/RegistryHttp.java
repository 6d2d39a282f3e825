package dev.mesh.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for the registry's REST API, as any non-Java tool would talk to it. */
final class RegistryHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String V1 = "application/vnd.schemaregistry.v1+json";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    RegistryHttp(String base) {
        this.base = base;
    }

    record Reply(int status, String contentType, String text) {
        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text, e);
            }
        }

        int errorCode() {
            return json().path("error_code").asInt();
        }

        String message() {
            return json().path("message").asText();
        }
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Reply delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    Reply post(String path, String body) {
        return post(path, body, V1);
    }

    Reply post(String path, String body, String contentType) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply put(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", V1)
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Registers an Avro schema; returns the whole reply. */
    Reply register(String subject, String schema) {
        return post("/subjects/" + subject + "/versions", schemaBody(schema));
    }

    /** Registers a full request body (schema plus references, metadata, ruleSet...); returns the whole reply. */
    Reply register(String subject, JsonNode body) {
        return post("/subjects/" + subject + "/versions", body.toString());
    }

    int registerId(String subject, String schema) {
        return idOf("register " + subject, register(subject, schema));
    }

    int registerId(String subject, JsonNode body) {
        return idOf("register " + subject, register(subject, body));
    }

    private static int idOf(String what, Reply r) {
        if (r.status() != 200) {
            throw new AssertionError(what + " failed: " + r.status() + " " + r.text());
        }
        return r.json().get("id").asInt();
    }

    /** GET /subjects/{s}/versions as a list; a failure is an assertion error. */
    java.util.List<Integer> versions(String subject) {
        Reply r = get("/subjects/" + subject + "/versions");
        if (r.status() != 200) {
            throw new AssertionError("versions of " + subject + ": " + r.status() + " " + r.text());
        }
        java.util.List<Integer> out = new java.util.ArrayList<>();
        r.json().forEach(n -> out.add(n.asInt()));
        return out;
    }

    /** "leader" or "follower", and the leader's URL, as the instance's /health tells them. */
    record Role(String role, String leader) {
    }

    Role role() {
        JsonNode d = get("/health").json().path("details").path("schemaStore").path("details");
        return new Role(d.path("role").asText(), d.path("leader").asText());
    }

    /** A request body {"schema": ...} to add references, metadata or ruleSet to. */
    static ObjectNode request(String schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema);
        return body;
    }

    static String schemaBody(String schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema);
        return body.toString();
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
