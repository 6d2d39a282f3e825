package dev.mesh.finance;

import io.micronaut.context.annotation.Requires;
import dev.mesh.schemas.finance.payments.v1.Currency;
import dev.mesh.schemas.finance.payments.v1.Payment;
import dev.mesh.schemas.finance.payments.v1.PaymentKind;
import dev.mesh.service.Accepted;
import dev.mesh.service.JsonIntake;
import dev.mesh.service.Publishing;
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

import java.util.UUID;

/** Intake of payment events, and the settlements and daily revenue read by key from the Streams apps' stores. */
@Requires(env = FinanceApplication.ENV)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
final class FinanceController {
    private final FinanceProducts products;
    private final StreamsApps apps;

    FinanceController(FinanceProducts products, StreamsApps apps) {
        this.products = products;
        this.apps = apps;
    }

    @Post("/payments")
    HttpResponse<Accepted> payment(@Nullable @Body byte[] body) {
        JsonIntake in = JsonIntake.parse(body);
        String id = in.optionalString("paymentId").orElseGet(() -> "p-" + UUID.randomUUID());
        String orderId = in.requiredString("orderId");
        PaymentKind kind = in.oneOf("kind", PaymentKind.class);
        var amount = in.amount("amount", kind == PaymentKind.FAILED);
        Currency currency = in.oneOf("currency", Currency.class);
        String provider = in.optionalString("provider").orElse("api");
        var occurredAt = in.instantOrNow("occurredAt");
        in.validate();
        Payment payment = new Payment(id, orderId, kind, amount, currency, provider, occurredAt);
        return HttpResponse.accepted().body(Publishing.publish(products.payments(), id, payment));
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
