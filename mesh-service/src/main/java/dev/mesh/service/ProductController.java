package dev.mesh.service;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Map;

/**
 * Every product of the domain over HTTP, with no code per product: a source product's records are accepted at
 * {@code POST /products/<name>} (read by its schema and contract; 202 with where it landed, 400/413/422 naming what
 * was wrong), a derived product's read by key at {@code GET /products/<name>/<key>}; 404 names what there is.
 */
@Requires(env = DomainService.ENV)
@Controller("/products")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
@Produces(MediaType.APPLICATION_JSON)
final class ProductController {
    private final SourceProducts products;
    private final Derivations derived;
    private final StreamsApps apps;

    ProductController(SourceProducts products, Derivations derived, StreamsApps apps) {
        this.products = products;
        this.derived = derived;
        this.apps = apps;
    }

    /** A derived product's record by key, from its Streams app's store: its second output port. */
    @Get("/{name}/{key}")
    HttpResponse<?> byKey(String name, String key, HttpRequest<?> request) {
        return derived.product(name).<HttpResponse<?>>map(product -> StoreLookup.byKey(apps, product, key, request))
                .orElseGet(() -> HttpResponse.status(HttpStatus.NOT_FOUND).body(Map.of("error",
                        "no derived product '" + shown(name) + "' in " + products.domain() + "; this service serves "
                                + derived.names().stream().map(n -> "/products/" + n + "/<key>").toList())));
    }

    @Post("/{name}")
    HttpResponse<?> accept(String name, @Nullable @Body byte[] body) {
        return products.intake(name)
                .<HttpResponse<?>>map(intake -> HttpResponse.accepted().body(intake.accept(body)))
                .orElseGet(() -> HttpResponse.status(HttpStatus.NOT_FOUND).body(Map.of("error",
                        "no source product '" + shown(name) + "' in " + products.domain() + "; this service accepts "
                                + products.names().stream().map(n -> "/products/" + n).toList())));
    }

    /** A path segment as it may be echoed back: short, printable. */
    private static String shown(String name) {
        String printable = name.codePoints().filter(c -> c >= 0x20 && c != 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }
}
