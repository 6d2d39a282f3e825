package dev.mesh.sales;

import io.micronaut.context.annotation.Requires;
import dev.mesh.schemas.sales.customers.v1.Customer;
import dev.mesh.schemas.sales.customers.v1.Segment;
import dev.mesh.schemas.sales.orders.v1.Order;
import dev.mesh.service.Accepted;
import dev.mesh.service.Intake;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Intake of the sales domain: customer sign-ups and orders, published as sales.customers and sales.orders. */
@Requires(env = SalesApplication.ENV)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
final class SalesController {
    private final Intake<Customer> customers;
    private final Intake<Order> orders;

    SalesController(SalesProducts products) {
        this.customers = Intake.of(products.customers(), Customer.class);
        this.orders = Intake.of(products.orders(), Order.class);
    }

    @Post("/customers")
    HttpResponse<Accepted> customer(@Nullable @Body byte[] body) {
        return HttpResponse.accepted().body(customers.accept(body, Map.of(
                "customerId", () -> "c-" + UUID.randomUUID(), "segment", () -> Segment.CONSUMER, "signedUpAt", Instant::now)));
    }

    @Post("/orders")
    HttpResponse<Accepted> order(@Nullable @Body byte[] body) {
        return HttpResponse.accepted().body(orders.accept(body, Map.of(
                "orderId", () -> "o-" + UUID.randomUUID(), "placedAt", Instant::now)));
    }
}
