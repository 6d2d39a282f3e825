package dev.mesh.service;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Map;

/**
 * Intake of every source product of the domain at {@code POST /products/<name>}, with no code per product: the
 * body is read by the product's schema and contract. 202 with where it landed; 400/413/422 naming what was wrong;
 * 404 naming the products this service accepts.
 */
@Requires(env = DomainService.ENV)
@Controller("/products")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
@Produces(MediaType.APPLICATION_JSON)
final class ProductIntakeController {
    private final SourceProducts products;

    ProductIntakeController(SourceProducts products) {
        this.products = products;
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
