package dev.mesh.catalog.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers of the JSON API, written with the SDK's Jackson: records decoded by the SDK are Jackson trees, and the
 * catalog's own types need no serialization annotations this way.
 */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

    private Json() {
    }

    static MutableHttpResponse<String> ok(Object body) {
        return of(HttpStatus.OK, body);
    }

    static MutableHttpResponse<String> error(HttpStatus status, String message, String hint) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.getCode());
        body.put("error", status.getReason());
        body.put("message", message);
        if (hint != null) {
            body.put("hint", hint);
        }
        return of(status, body);
    }

    static MutableHttpResponse<String> of(HttpStatus status, Object body) {
        try {
            return HttpResponse.<String>status(status).contentType(MediaType.APPLICATION_JSON_TYPE)
                    .body(MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the API's answer as JSON: " + e.getMessage(), e);
        }
    }
}
