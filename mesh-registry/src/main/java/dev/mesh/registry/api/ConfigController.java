package dev.mesh.registry.api;

import dev.mesh.registry.RegistryApplication;
import io.micronaut.context.annotation.Requires;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.registry.core.Mode;
import dev.mesh.registry.core.RegistryException;
import dev.mesh.registry.core.SchemaRegistryService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Map;

/** R16 to R22: compatibility levels and modes, global and per subject. */
@Requires(env = RegistryApplication.ENV)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({Json.V1_JSON, Json.SR_JSON, MediaType.APPLICATION_JSON, MediaType.ALL})
@Produces({Json.V1_JSON, Json.SR_JSON, MediaType.APPLICATION_JSON, MediaType.ALL})
final class ConfigController {
    private final SchemaRegistryService registry;

    ConfigController(SchemaRegistryService registry) {
        this.registry = registry;
    }

    @Get("/config")
    HttpResponse<String> globalConfig() {
        return Json.ok(Map.of("compatibilityLevel", registry.globalCompatibility().name()));
    }

    @Put("/config")
    HttpResponse<String> setGlobalConfig(@Nullable @Body byte[] body) {
        String level = field(body, "compatibility");
        return Json.ok(Map.of("compatibility", registry.setCompatibility(null, level).name()));
    }

    @Delete("/config")
    HttpResponse<String> deleteGlobalConfig() {
        return Json.ok(Map.of("compatibilityLevel", registry.deleteCompatibility(null).name()));
    }

    @Get("/config/{subject}")
    HttpResponse<String> subjectConfig(String subject, @Nullable @QueryValue String defaultToGlobal) {
        var level = registry.subjectCompatibility(subject);
        if (level.isEmpty() && !Json.flag("defaultToGlobal", defaultToGlobal, false)) {
            throw new RegistryException(404, 40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
        }
        return Json.ok(Map.of("compatibilityLevel", level.orElse(registry.globalCompatibility()).name()));
    }

    @Put("/config/{subject}")
    HttpResponse<String> setSubjectConfig(String subject, @Nullable @Body byte[] body) {
        String level = field(body, "compatibility");
        return Json.ok(Map.of("compatibility", registry.setCompatibility(subject, level).name()));
    }

    @Delete("/config/{subject}")
    HttpResponse<String> deleteSubjectConfig(String subject) {
        return Json.ok(Map.of("compatibilityLevel", registry.deleteCompatibility(subject).name()));
    }

    @Get("/mode")
    HttpResponse<String> globalMode() {
        return Json.ok(Map.of("mode", registry.mode(null).name()));
    }

    @Put("/mode")
    HttpResponse<String> setGlobalMode(@Nullable @Body byte[] body) {
        return Json.ok(Map.of("mode", registry.setMode(null, field(body, "mode")).name()));
    }

    @Get("/mode/{subject}")
    HttpResponse<String> subjectMode(String subject, @Nullable @QueryValue String defaultToGlobal) {
        var mode = registry.subjectMode(subject);
        if (mode.isEmpty() && !Json.flag("defaultToGlobal", defaultToGlobal, false)) {
            throw new RegistryException(404, 40409, "Subject '" + subject + "' does not have a mode of its own");
        }
        return Json.ok(Map.of("mode", mode.orElse(registry.mode(null)).name()));
    }

    @Put("/mode/{subject}")
    HttpResponse<String> setSubjectMode(String subject, @Nullable @Body byte[] body) {
        return Json.ok(Map.of("mode", registry.setMode(subject, field(body, "mode")).name()));
    }

    @Delete("/mode/{subject}")
    HttpResponse<String> deleteSubjectMode(String subject) {
        Mode removed = registry.deleteMode(subject);
        return Json.ok(Map.of("mode", removed.name()));
    }

    private static String field(byte[] body, String name) {
        JsonNode node = Json.read(body, JsonNode.class);
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            String error = name.equals("mode") ? "42204" : "42203";
            throw new RegistryException(422, Integer.parseInt(error), "Request body must have a text field '" + name
                    + "', e.g. {\"" + name + "\": \"" + (name.equals("mode") ? "READONLY" : "FULL") + "\"}");
        }
        return value.asText();
    }
}
