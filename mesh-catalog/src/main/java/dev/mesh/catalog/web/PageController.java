package dev.mesh.catalog.web;

import dev.mesh.catalog.CatalogApplication;
import dev.mesh.catalog.CatalogSnapshots;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** The pages people open. A product page for an id the catalog does not know is a 404 that offers search. */
@Requires(env = CatalogApplication.ENV)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
final class PageController {
    private final CatalogSnapshots snapshots;

    PageController(CatalogSnapshots snapshots) {
        this.snapshots = snapshots;
    }

    @Get
    HttpResponse<String> search() {
        return Pages.page(Pages.SEARCH);
    }

    @Get("/products/{id}")
    HttpResponse<String> product(String id) {
        snapshots.product(id);
        return Pages.page(Pages.PRODUCT);
    }

    @Get("/lineage")
    HttpResponse<String> lineage() {
        return Pages.page(Pages.LINEAGE);
    }

    @Get("/lineage/{id}")
    HttpResponse<String> lineage(String id) {
        snapshots.product(id);
        return Pages.page(Pages.LINEAGE);
    }

    @Get("/domains")
    HttpResponse<String> domains() {
        return Pages.page(Pages.DOMAINS);
    }

    @Get("/sql")
    HttpResponse<String> sql() {
        return Pages.page(Pages.SQL);
    }
}
