package dev.mesh.registry.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.mesh.registry.core.RegistryException;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

import java.nio.charset.StandardCharsets;

/** Request parsing and responses in the registry's media type, with errors that say what was wrong. */
final class Json {
    static final String V1_JSON = "application/vnd.schemaregistry.v1+json";
    static final String SR_JSON = "application/vnd.schemaregistry+json";
    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            // {"schema": "..."}} is malformed, not a request with something after it
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

    private Json() {
    }

    static <T> T read(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw new RegistryException(400, 400, "Request body is empty; expected a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new RegistryException(400, 400, "Malformed JSON in request body"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ": " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new RegistryException(400, 400, "Unreadable request body: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new RegistryException(400, 400, "Request body must be a JSON object, was: "
                    + new String(body, 0, Math.min(body.length, 80), StandardCharsets.UTF_8));
        }
        try {
            return MAPPER.treeToValue(node, type);
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "?" : e.getPath().get(e.getPath().size() - 1).getFieldName();
            throw new RegistryException(422, 42201, "Invalid request: field '" + field + "' has the wrong type ("
                    + e.getOriginalMessage() + ")");
        } catch (JsonProcessingException e) {
            throw new RegistryException(422, 42201, "Invalid request: " + e.getOriginalMessage());
        }
    }

    static MutableHttpResponse<String> ok(Object body) {
        return respond(HttpStatus.OK, body);
    }

    static MutableHttpResponse<String> respond(HttpStatus status, Object body) {
        try {
            return HttpResponse.<String>status(status).body(MAPPER.writeValueAsString(body)).contentType(V1_JSON);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static MutableHttpResponse<String> error(int status, int code, String message) {
        var body = MAPPER.createObjectNode();
        body.put("error_code", code);
        body.put("message", message);
        return respond(HttpStatus.valueOf(status), body);
    }

    /** A query flag: absent is the default, "true"/"false" as given, anything else is an error naming it. */
    static boolean flag(String name, String value, boolean defaultValue) {
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new RegistryException(400, 400, "Query parameter '" + name + "' must be true or false, was '" + value + "'");
    }
}
