package dev.mesh.registry.api;

import dev.mesh.registry.RegistryApplication;
import io.micronaut.context.annotation.Requires;
import dev.mesh.registry.core.SchemaRegistryService;
import dev.mesh.sdk.registry.SchemaRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** R14 and R15: would this schema be accepted, and if not, exactly why. */
@Requires(env = RegistryApplication.ENV)
@Controller("/compatibility")
@Consumes({Json.V1_JSON, Json.SR_JSON, MediaType.APPLICATION_JSON, MediaType.ALL})
@Produces({Json.V1_JSON, Json.SR_JSON, MediaType.APPLICATION_JSON, MediaType.ALL})
final class CompatibilityController {
    private final SchemaRegistryService registry;

    CompatibilityController(SchemaRegistryService registry) {
        this.registry = registry;
    }

    @Post("/subjects/{subject}/versions/{version}")
    HttpResponse<String> againstVersion(String subject, String version, @Nullable @Body byte[] body,
                                        @Nullable @QueryValue String verbose) {
        List<String> problems = registry.checkCompatibility(subject, version, Json.read(body, SchemaRequest.class));
        return answer(problems, Json.flag("verbose", verbose, false));
    }

    @Post("/subjects/{subject}/versions")
    HttpResponse<String> againstAll(String subject, @Nullable @Body byte[] body, @Nullable @QueryValue String verbose) {
        List<String> problems = registry.checkCompatibility(subject, null, Json.read(body, SchemaRequest.class));
        return answer(problems, Json.flag("verbose", verbose, false));
    }

    private static HttpResponse<String> answer(List<String> problems, boolean verbose) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("is_compatible", problems.isEmpty());
        if (verbose) {
            body.put("messages", problems);
        }
        return Json.ok(body);
    }
}
