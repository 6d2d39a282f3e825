package dev.mesh.sales;

import dev.mesh.schemas.SalesProducts;
import dev.mesh.service.Accepted;
import dev.mesh.service.SourceProducts;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * The first intake paths of sales, kept for the clients that use them: each is {@code POST /products/<name>}
 * under its old name (what a field left out is filled with is in the product's contract).
 */
@Requires(env = SalesDomain.ENV)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
final class SalesController {
    private final SourceProducts products;

    SalesController(SourceProducts products) {
        this.products = products;
    }

    @Post("/customers")
    HttpResponse<Accepted> customer(@Nullable @Body byte[] body) {
        return HttpResponse.accepted().body(products.intake(SalesProducts.CUSTOMERS).accept(body));
    }

    @Post("/orders")
    HttpResponse<Accepted> order(@Nullable @Body byte[] body) {
        return HttpResponse.accepted().body(products.intake(SalesProducts.ORDERS).accept(body));
    }
}
