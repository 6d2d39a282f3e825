package dev.mesh.marketing;

import dev.mesh.schemas.marketing.campaigns.v1.Campaign;
import dev.mesh.schemas.marketing.campaigns.v1.Channel;
import dev.mesh.schemas.marketing.campaigns.v1.Currency;
import dev.mesh.schemas.marketing.campaigntouches.v1.Touch;
import dev.mesh.schemas.marketing.campaigntouches.v1.TouchKind;
import dev.mesh.service.Accepted;
import dev.mesh.service.JsonIntake;
import dev.mesh.service.Publishing;
import dev.mesh.service.StoreLookup;
import dev.mesh.service.StreamsApps;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** Intake of campaigns and campaign touches, and campaign performance read by key from the Streams app's store. */
@Requires(env = MarketingApplication.ENV)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
final class MarketingController {
    private final MarketingProducts products;
    private final StreamsApps apps;

    MarketingController(MarketingProducts products, StreamsApps apps) {
        this.products = products;
        this.apps = apps;
    }

    @Post("/campaigns")
    HttpResponse<Accepted> campaign(@Nullable @Body byte[] body) {
        JsonIntake in = JsonIntake.parse(body);
        String id = in.optionalString("campaignId").orElseGet(() -> "cmp-" + UUID.randomUUID());
        String name = in.requiredString("name");
        Channel channel = in.oneOf("channel", Channel.class);
        BigDecimal budget = in.amount("budget", false);
        Currency currency = in.oneOf("currency", Currency.class);
        Instant startsAt = in.requiredInstant("startsAt");
        Instant endsAt = in.requiredInstant("endsAt");
        in.validate();
        // endsAt after startsAt is the contract's rule ends-after-start: a breach answers 422 naming it
        Campaign campaign = new Campaign(id, name, channel, budget, currency, startsAt, endsAt);
        return HttpResponse.accepted().body(Publishing.publish(products.campaigns(), id, campaign));
    }

    @Post("/touches")
    HttpResponse<Accepted> touch(@Nullable @Body byte[] body) {
        JsonIntake in = JsonIntake.parse(body);
        String id = in.optionalString("touchId").orElseGet(() -> "t-" + UUID.randomUUID());
        String customerId = in.requiredString("customerId");
        String campaignId = in.requiredString("campaignId");
        TouchKind kind = in.oneOf("kind", TouchKind.class);
        Instant occurredAt = in.instantOrNow("occurredAt");
        in.validate();
        Touch touch = new Touch(id, customerId, campaignId, kind, occurredAt);
        return HttpResponse.accepted().body(Publishing.publish(products.touches(), id, touch));
    }

    @Get(value = "/campaigns/{campaignId}/performance", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> performance(String campaignId) {
        return StoreLookup.byKey(apps, MarketingProducts.PERFORMANCE_APP, MarketingTopologies.PERFORMANCE_STORE, campaignId);
    }

}
