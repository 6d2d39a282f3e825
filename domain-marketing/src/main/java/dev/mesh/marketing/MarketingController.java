package dev.mesh.marketing;

import dev.mesh.schemas.marketing.campaigns.v1.Campaign;
import dev.mesh.schemas.marketing.campaigntouches.v1.Touch;
import dev.mesh.service.Accepted;
import dev.mesh.service.Intake;
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

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Intake of campaigns and campaign touches, and campaign performance read by key from the Streams app's store. */
@Requires(env = MarketingApplication.ENV)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
final class MarketingController {
    private final Intake<Campaign> campaigns;
    private final Intake<Touch> touches;
    private final StreamsApps apps;

    MarketingController(MarketingProducts products, StreamsApps apps) {
        this.campaigns = Intake.of(products.campaigns(), Campaign.class);
        this.touches = Intake.of(products.touches(), Touch.class);
        this.apps = apps;
    }

    /** endsAt after startsAt is the contract's rule ends-after-start: a breach answers 422 naming it. */
    @Post("/campaigns")
    HttpResponse<Accepted> campaign(@Nullable @Body byte[] body) {
        return HttpResponse.accepted().body(campaigns.accept(body, Map.of("campaignId", () -> "cmp-" + UUID.randomUUID())));
    }

    @Post("/touches")
    HttpResponse<Accepted> touch(@Nullable @Body byte[] body) {
        return HttpResponse.accepted().body(touches.accept(body, Map.of(
                "touchId", () -> "t-" + UUID.randomUUID(), "occurredAt", Instant::now)));
    }

    @Get(value = "/campaigns/{campaignId}/performance", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> performance(String campaignId) {
        return StoreLookup.byKey(apps, MarketingProducts.PERFORMANCE_APP, MarketingTopologies.PERFORMANCE_STORE, campaignId);
    }

}
