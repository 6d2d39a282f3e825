package dev.mesh.registry.api;

import dev.mesh.registry.RegistryApplication;
import io.micronaut.context.annotation.Requires;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.registry.core.RegistryException;
import dev.mesh.registry.core.SchemaRegistryService;
import dev.mesh.registry.store.SubjectVersion;
import dev.mesh.sdk.registry.RegisteredSchema;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;

import java.util.List;
import java.util.Map;

/** R3 to R6 and R23: schemas by global id, schema types, the root. */
@Requires(env = RegistryApplication.ENV)
@Controller
@Produces({Json.V1_JSON, Json.SR_JSON, MediaType.APPLICATION_JSON, MediaType.ALL})
final class SchemasController {
    private final SchemaRegistryService registry;

    SchemasController(SchemaRegistryService registry) {
        this.registry = registry;
    }

    @Get("/")
    HttpResponse<String> root() {
        return Json.ok(Map.of());
    }

    @Get("/schemas/types")
    HttpResponse<String> types() {
        return Json.ok(List.of("AVRO"));
    }

    @Get("/schemas/ids/{id}")
    HttpResponse<String> byId(String id, @Nullable @QueryValue String subject, @Nullable @QueryValue String fetchMaxId) {
        RegisteredSchema schema = registry.byId(parseId(id), subject);
        ObjectNode body = Json.MAPPER.valueToTree(schema);
        if (Json.flag("fetchMaxId", fetchMaxId, false)) {
            body.put("maxId", registry.maxId());
        }
        return Json.ok(body);
    }

    @Get("/schemas/ids/{id}/schema")
    HttpResponse<String> rawById(String id, @Nullable @QueryValue String subject) {
        return HttpResponse.ok(registry.byId(parseId(id), subject).schema()).contentType(Json.V1_JSON);
    }

    @Get("/schemas/ids/{id}/subjects")
    HttpResponse<String> subjectsOfId(String id, @Nullable @QueryValue String deleted) {
        return Json.ok(registry.versionsOfId(parseId(id), Json.flag("deleted", deleted, false)).stream()
                .map(SubjectVersion::subject).distinct().toList());
    }

    @Get("/schemas/ids/{id}/versions")
    HttpResponse<String> versionsOfId(String id, @Nullable @QueryValue String deleted) {
        return Json.ok(registry.versionsOfId(parseId(id), Json.flag("deleted", deleted, false)).stream()
                .map(v -> Map.of("subject", v.subject(), "version", v.version())).toList());
    }

    private static int parseId(String id) {
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw RegistryException.schemaNotFound("with id '" + id + "' (ids are positive integers)");
        }
    }
}
