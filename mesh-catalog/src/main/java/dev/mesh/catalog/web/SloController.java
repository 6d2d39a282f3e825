package dev.mesh.catalog.web;

import dev.mesh.catalog.CatalogApplication;
import dev.mesh.catalog.slo.SloReport;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** Products' SLOs as evaluated, for {@code mesh slo} and the pages; docs/guides/platform.md, "Catalog API", documents it. */
@Requires(env = CatalogApplication.ENV)
@Controller("/api/slo")
@ExecuteOn(TaskExecutors.BLOCKING)
final class SloController {
    private static final int MAX_ALERTS = 1_000;
    private final SloReport report;

    SloController(SloReport report) {
        this.report = report;
    }

    @Get("{?alerts}")
    HttpResponse<String> all(@QueryValue(defaultValue = "20") int alerts) {
        if (alerts < 0 || alerts > MAX_ALERTS) {
            return Json.error(HttpStatus.BAD_REQUEST, "alerts " + alerts + " is out of range", "ask for 0 to " + MAX_ALERTS);
        }
        return Json.ok(report.all(alerts));
    }

    @Get("/{id}")
    HttpResponse<String> product(String id) {
        return Json.ok(report.of(id));
    }
}
