package dev.mesh.finance;

import io.micronaut.context.annotation.Requires;
import dev.mesh.schemas.FinanceProducts;
import dev.mesh.service.Accepted;
import dev.mesh.service.SourceProducts;
import dev.mesh.service.StoreLookup;
import dev.mesh.service.StreamsApps;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;


/** The first intake path of finance ({@code POST /products/payments} under its old name), and the settlements and daily revenue read by key from the Streams apps' stores. */
@Requires(env = FinanceDomain.ENV)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
final class FinanceController {
    private final SourceProducts products;
    private final StreamsApps apps;

    FinanceController(SourceProducts products, StreamsApps apps) {
        this.products = products;
        this.apps = apps;
    }

    /** A payment event; a zero amount (a failed payment) and the amount's sign are the contract's rules. */
    @Post("/payments")
    HttpResponse<Accepted> payment(@Nullable @Body byte[] body) {
        return HttpResponse.accepted().body(products.intake(FinanceProducts.PAYMENTS).accept(body));
    }

    @Get(value = "/settlements/{orderId}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> settlement(String orderId, HttpRequest<?> request) {
        return StoreLookup.byKey(apps, FinanceProducts.ORDER_SETTLEMENTS, orderId, request);
    }

    /** Paid revenue of one currency on one day, e.g. /revenue-daily/EUR/2026-11-21. */
    @Get(value = "/revenue-daily/{currency}/{day}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> revenue(String currency, String day, HttpRequest<?> request) {
        return StoreLookup.byKey(apps, FinanceProducts.REVENUE_DAILY, currency + "|" + day, request);
    }

}
