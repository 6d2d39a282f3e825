package dev.mesh.sales;

import io.micronaut.context.annotation.Requires;
import dev.mesh.schemas.sales.customers.v1.Customer;
import dev.mesh.schemas.sales.customers.v1.Segment;
import dev.mesh.schemas.sales.orders.v1.Currency;
import dev.mesh.schemas.sales.orders.v1.Order;
import dev.mesh.schemas.sales.orders.v1.OrderLine;
import dev.mesh.schemas.sales.orders.v1.SalesChannel;
import dev.mesh.service.Accepted;
import dev.mesh.service.JsonIntake;
import dev.mesh.service.Publishing;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.List;
import java.util.UUID;

/** Intake of the sales domain: customer sign-ups and orders, published as sales.customers and sales.orders. */
@Requires(env = SalesApplication.ENV)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
final class SalesController {
    /** A line as read, before validation has passed (the Avro class refuses nulls). */
    private record Line(String sku, Integer quantity, java.math.BigDecimal unitPrice) {
    }

    private final SalesProducts products;

    SalesController(SalesProducts products) {
        this.products = products;
    }

    @Post("/customers")
    HttpResponse<Accepted> customer(@Nullable @Body byte[] body) {
        JsonIntake in = JsonIntake.parse(body);
        String id = in.optionalString("customerId").orElseGet(() -> "c-" + UUID.randomUUID());
        String name = in.requiredString("name");
        String email = in.requiredString("email");
        String country = in.requiredString("country");
        Segment segment = in.oneOfOr("segment", Segment.class, Segment.CONSUMER);
        var signedUpAt = in.instantOrNow("signedUpAt");
        in.validate();
        Customer customer = new Customer(id, name, email, country, segment, signedUpAt);
        return HttpResponse.accepted().body(Publishing.publish(products.customers(), id, customer));
    }

    @Post("/orders")
    HttpResponse<Accepted> order(@Nullable @Body byte[] body) {
        JsonIntake in = JsonIntake.parse(body);
        String id = in.optionalString("orderId").orElseGet(() -> "o-" + UUID.randomUUID());
        String customerId = in.requiredString("customerId");
        Currency currency = in.oneOf("currency", Currency.class);
        List<Line> lines = in.nonEmptyArray("lines", line -> new Line(
                line.requiredString("sku"), line.positiveInt("quantity"), line.amount("unitPrice", false)));
        var total = in.amount("totalAmount", false);
        SalesChannel channel = in.oneOfOr("channel", SalesChannel.class, SalesChannel.WEB);
        var placedAt = in.instantOrNow("placedAt");
        in.validate();
        Order order = new Order(id, customerId, currency, total,
                lines.stream().map(l -> new OrderLine(l.sku, l.quantity, l.unitPrice)).toList(), channel, placedAt);
        return HttpResponse.accepted().body(Publishing.publish(products.orders(), id, order));
    }
}
