package dev.mesh.catalog.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.catalog.CatalogApplication;
import dev.mesh.catalog.lineage.ReportedJobs;
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
import java.util.Map;

/**
 * OpenLineage's HTTP endpoint, where Marquez has it: any OpenLineage client (the stock {@code HttpTransport},
 * {@code url} the catalog, {@code endpoint} {@code /api/v1/lineage}) posts RunEvents, kept under the signed-in
 * principal; 201 when kept, 400 naming the field at fault.
 */
@Requires(env = CatalogApplication.ENV)
@Controller("/api/v1/lineage")
@ExecuteOn(TaskExecutors.BLOCKING)
final class LineageIntakeController {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ReportedJobs jobs;

    LineageIntakeController(ReportedJobs jobs) {
        this.jobs = jobs;
    }

    @Post(consumes = MediaType.APPLICATION_JSON)
    HttpResponse<String> report(@Nullable Principal principal, @Body String body) {
        JsonNode event;
        try {
            event = JSON.readTree(body == null ? "" : body);
        } catch (java.io.IOException e) {
            return Json.error(HttpStatus.BAD_REQUEST, "the body is not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), "POST an OpenLineage RunEvent");
        }
        if (event == null || !event.isObject()) {
            return Json.error(HttpStatus.BAD_REQUEST, "the body is not a JSON object", "POST an OpenLineage RunEvent");
        }
        try {
            var job = jobs.report(principal == null ? "anonymous" : principal.getName(), event);
            return Json.of(HttpStatus.CREATED, Map.of("job", job.namespace() + "/" + job.name(), "reporter", job.reporter()));
        } catch (ReportedJobs.Refused e) {
            return Json.error(HttpStatus.valueOf(e.status()), e.getMessage(), null);
        }
    }
}
