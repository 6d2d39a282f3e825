package dev.mesh.catalog.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.catalog.CatalogApplication;
import dev.mesh.catalog.sql.ParquetAnswer;
import dev.mesh.catalog.sql.SqlEngine;
import dev.mesh.catalog.sql.SqlException;
import dev.mesh.sdk.security.MeshPrincipals;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.security.Principal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * {@code POST /api/sql} with {@code {"sql": "...", "asOf": "2026-12-05T10:00:00Z", "limit": 1000, "offset": 0}}: the query run as
 * the signed-in principal by {@link SqlEngine}, answered as JSON, or as a Parquet file with {@code "format": "parquet"}. A refused or broken query answers 400/403/408 naming why.
 */
@Requires(env = CatalogApplication.ENV)
@Controller("/api")
@ExecuteOn(TaskExecutors.BLOCKING)
final class SqlController {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType PARQUET = new MediaType("application/vnd.apache.parquet");
    private final SqlEngine engine;

    SqlController(SqlEngine engine) {
        this.engine = engine;
    }

    @Post(value = "/sql", consumes = MediaType.APPLICATION_JSON)
    HttpResponse<?> sql(@Nullable Principal principal, @Body String body) {
        JsonNode request;
        try {
            request = JSON.readTree(body == null ? "" : body);
        } catch (java.io.IOException e) {
            return Json.error(HttpStatus.BAD_REQUEST, "the body is not JSON: " + e.getMessage(), "POST {\"sql\": \"SELECT ...\"}");
        }
        if (request == null || !request.path("sql").isTextual()) {
            return Json.error(HttpStatus.BAD_REQUEST, "sql: missing; the body is {\"sql\": \"SELECT ...\"}", null);
        }
        Optional<Instant> asOf;
        try {
            asOf = request.hasNonNull("asOf") ? Optional.of(Instant.parse(request.path("asOf").asText())) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Json.error(HttpStatus.BAD_REQUEST, "asOf: '" + request.path("asOf").asText()
                    + "' is not an instant such as 2026-12-05T10:00:00Z", null);
        }
        if (request.has("limit") && !request.path("limit").canConvertToInt()) {
            return Json.error(HttpStatus.BAD_REQUEST, "limit: not a whole number", null);
        }
        if (request.has("offset") && (!request.path("offset").canConvertToLong() || request.path("offset").asLong() < 0)) {
            return Json.error(HttpStatus.BAD_REQUEST, "offset: not a whole number of rows to skip (0 or more)", null);
        }
        String caller = principal == null ? null : MeshPrincipals.principal(principal.getName());
        try {
            SqlEngine.Result answer = engine.query(caller, request.path("sql").asText(), asOf, request.path("limit").asInt(0),
                    request.path("offset").asLong(0));
            if ("parquet".equals(request.path("format").asText())) {
                return HttpResponse.ok(ParquetAnswer.of(answer)).contentType(PARQUET)
                        .header("Content-Disposition", "attachment; filename=\"answer.parquet\"");
            }
            return Json.ok(answer);
        } catch (SqlException e) {
            return Json.error(HttpStatus.valueOf(e.status()), e.getMessage(), null);
        }
    }
}
