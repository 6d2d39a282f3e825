package dev.mesh.catalog.web;

import dev.mesh.catalog.CatalogApplication;
import dev.mesh.catalog.ProductNotFoundException;
import dev.mesh.catalog.SchemaComparison;
import dev.mesh.sdk.access.Marketplace;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.registry.SchemaRegistryException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.uri.UriBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors in the form the caller reads: JSON under /api, a page elsewhere. Unknown products and addresses get a
 * 404 that points at search; a mesh that does not answer gets a 503 that says which part.
 */
@Requires(env = CatalogApplication.ENV)
@Controller
final class CatalogErrors {
    private static final Logger log = LoggerFactory.getLogger(CatalogErrors.class);

    @Error(global = true, exception = ProductNotFoundException.class)
    HttpResponse<String> productNotFound(HttpRequest<?> request, ProductNotFoundException e) {
        return notFound(request, e.getMessage(), UriBuilder.of("/api/search").queryParam("q", e.id()).toString());
    }

    @Error(global = true, status = HttpStatus.NOT_FOUND)
    HttpResponse<String> noSuchPage(HttpRequest<?> request) {
        return notFound(request, "nothing at " + request.getPath(), "/api/search?q=");
    }

    @Error(global = true, exception = SchemaComparison.VersionNotFoundException.class)
    HttpResponse<String> noSuchVersion(HttpRequest<?> request, SchemaComparison.VersionNotFoundException e) {
        return notFound(request, e.getMessage(), null);
    }

    /** A marketplace request that cannot be made or decided: 400 naming the field, 401, 403, 404 or 409. */
    @Error(global = true, exception = Marketplace.Refused.class)
    HttpResponse<String> refused(Marketplace.Refused e) {
        HttpStatus status = HttpStatus.valueOf(e.status());
        return Json.error(status, e.getMessage(), e.field().isEmpty() ? null : "field: " + e.field());
    }

    @Error(global = true, exception = MeshException.class)
    HttpResponse<String> meshUnavailable(HttpRequest<?> request, MeshException e) {
        return unavailable(request, "the mesh did not answer: " + e.getMessage());
    }

    @Error(global = true, exception = SchemaRegistryException.class)
    HttpResponse<String> registryUnavailable(HttpRequest<?> request, SchemaRegistryException e) {
        return unavailable(request, "the schema registry did not answer: " + e.getMessage());
    }

    private static HttpResponse<String> notFound(HttpRequest<?> request, String message, String searchHint) {
        if (isApi(request)) {
            return Json.error(HttpStatus.NOT_FOUND, message, searchHint == null ? null : "search: " + searchHint);
        }
        return Pages.page(HttpStatus.NOT_FOUND, Pages.NOT_FOUND);
    }

    private static HttpResponse<String> unavailable(HttpRequest<?> request, String message) {
        log.warn("{} {}: {}", request.getMethodName(), request.getPath(), message);
        if (isApi(request)) {
            return Json.error(HttpStatus.SERVICE_UNAVAILABLE, message, null);
        }
        return Pages.page(HttpStatus.SERVICE_UNAVAILABLE, Pages.UNAVAILABLE, message);
    }

    private static boolean isApi(HttpRequest<?> request) {
        return request.getPath().startsWith("/api/") || request.getPath().equals("/api");
    }
}
