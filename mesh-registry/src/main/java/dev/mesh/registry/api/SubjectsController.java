package dev.mesh.registry.api;

import dev.mesh.registry.RegistryApplication;
import io.micronaut.context.annotation.Requires;
import dev.mesh.registry.core.SchemaRegistryService;
import dev.mesh.sdk.registry.RegisteredSchema;
import dev.mesh.sdk.registry.SchemaRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Map;

/** R1, R2, R7 to R13: subjects and their versions. */
@Requires(env = RegistryApplication.ENV)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({Json.V1_JSON, Json.SR_JSON, MediaType.APPLICATION_JSON, MediaType.ALL})
@Produces({Json.V1_JSON, Json.SR_JSON, MediaType.APPLICATION_JSON, MediaType.ALL})
final class SubjectsController {
    private final SchemaRegistryService registry;

    SubjectsController(SchemaRegistryService registry) {
        this.registry = registry;
    }

    @Post("/subjects/{subject}/versions")
    HttpResponse<String> register(String subject, @Nullable @Body byte[] body,
                                  @Nullable @QueryValue String normalize) {
        Json.flag("normalize", normalize, false);
        return Json.ok(Map.of("id", registry.register(subject, Json.read(body, SchemaRequest.class))));
    }

    @Post("/subjects/{subject}")
    HttpResponse<String> lookup(String subject, @Nullable @Body byte[] body, @Nullable @QueryValue String deleted,
                                @Nullable @QueryValue String normalize) {
        Json.flag("normalize", normalize, false);
        return Json.ok(registry.lookup(subject, Json.read(body, SchemaRequest.class), Json.flag("deleted", deleted, false)));
    }

    @Get("/subjects")
    HttpResponse<String> subjects(@Nullable @QueryValue String deleted, @Nullable @QueryValue String subjectPrefix) {
        return Json.ok(registry.subjects(Json.flag("deleted", deleted, false), subjectPrefix));
    }

    @Get("/subjects/{subject}/versions")
    HttpResponse<String> versions(String subject, @Nullable @QueryValue String deleted) {
        return Json.ok(registry.versions(subject, Json.flag("deleted", deleted, false)));
    }

    @Get("/subjects/{subject}/versions/{version}")
    HttpResponse<String> version(String subject, String version, @Nullable @QueryValue String deleted) {
        return Json.ok(registry.get(subject, version, Json.flag("deleted", deleted, false)));
    }

    @Get("/subjects/{subject}/versions/{version}/schema")
    HttpResponse<String> rawSchema(String subject, String version, @Nullable @QueryValue String deleted) {
        RegisteredSchema schema = registry.get(subject, version, Json.flag("deleted", deleted, false));
        return HttpResponse.ok(schema.schema()).contentType(Json.V1_JSON);
    }

    @Get("/subjects/{subject}/versions/{version}/referencedby")
    HttpResponse<String> referencedBy(String subject, String version) {
        return Json.ok(registry.referencedBy(subject, version));
    }

    @Delete("/subjects/{subject}")
    HttpResponse<String> deleteSubject(String subject, @Nullable @QueryValue String permanent) {
        return Json.ok(registry.deleteSubject(subject, Json.flag("permanent", permanent, false)));
    }

    @Delete("/subjects/{subject}/versions/{version}")
    HttpResponse<String> deleteVersion(String subject, String version, @Nullable @QueryValue String permanent) {
        return Json.ok(registry.deleteVersion(subject, version, Json.flag("permanent", permanent, false)));
    }
}
