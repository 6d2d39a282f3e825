package dev.mesh.finance;

import io.micronaut.context.annotation.Requires;
import dev.mesh.schemas.finance.payments.v1.Payment;
import dev.mesh.service.Accepted;
import dev.mesh.service.Intake;
import dev.mesh.service.StoreLookup;
import dev.mesh.service.StreamsApps;
import io.micronaut.core.annotation.Nullable;
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

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Intake of payment events, and the settlements and daily revenue read by key from the Streams apps' stores. */
@Requires(env = FinanceApplication.ENV)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
final class FinanceController {
    private final Intake<Payment> payments;
    private final StreamsApps apps;

    FinanceController(FinanceProducts products, StreamsApps apps) {
        this.payments = Intake.of(products.payments(), Payment.class);
        this.apps = apps;
    }

    /** A payment event; a zero amount (a failed payment) and the amount's sign are the contract's rules. */
    @Post("/payments")
    HttpResponse<Accepted> payment(@Nullable @Body byte[] body) {
        return HttpResponse.accepted().body(payments.accept(body, Map.of(
                "paymentId", () -> "p-" + UUID.randomUUID(), "provider", () -> "api", "occurredAt", Instant::now)));
    }

    @Get(value = "/settlements/{orderId}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> settlement(String orderId) {
        return StoreLookup.byKey(apps, FinanceProducts.SETTLEMENTS_APP, FinanceTopologies.SETTLEMENTS_STORE, orderId);
    }

    /** Paid revenue of one currency on one day, e.g. /revenue-daily/EUR/2026-11-21. */
    @Get(value = "/revenue-daily/{currency}/{day}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> revenue(String currency, String day) {
        return StoreLookup.byKey(apps, FinanceProducts.REVENUE_APP, FinanceTopologies.REVENUE_STORE, currency + "|" + day);
    }

}
