package dev.mesh.marketing;

import dev.mesh.schemas.MarketingProducts;
import dev.mesh.service.Accepted;
import dev.mesh.service.SourceProducts;
import dev.mesh.service.StoreLookup;
import dev.mesh.service.StreamsApps;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;


/** The first intake paths of marketing (/campaigns, /touches: {@code POST /products/<name>} under old names), and campaign performance read by key from the Streams app's store. */
@Requires(env = MarketingDomain.ENV)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
final class MarketingController {
    private final SourceProducts products;
    private final StreamsApps apps;

    MarketingController(SourceProducts products, StreamsApps apps) {
        this.products = products;
        this.apps = apps;
    }

    /** endsAt after startsAt is the contract's rule ends-after-start: a breach answers 422 naming it. */
    @Post("/campaigns")
    HttpResponse<Accepted> campaign(@Nullable @Body byte[] body) {
        return HttpResponse.accepted().body(products.intake(MarketingProducts.CAMPAIGNS).accept(body));
    }

    @Post("/touches")
    HttpResponse<Accepted> touch(@Nullable @Body byte[] body) {
        return HttpResponse.accepted().body(products.intake(MarketingProducts.CAMPAIGN_TOUCHES).accept(body));
    }

    @Get(value = "/campaigns/{campaignId}/performance", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> performance(String campaignId, HttpRequest<?> request) {
        return StoreLookup.byKey(apps, MarketingProducts.CAMPAIGN_PERFORMANCE, campaignId, request);
    }

}
