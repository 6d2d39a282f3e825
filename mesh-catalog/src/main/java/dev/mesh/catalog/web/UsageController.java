package dev.mesh.catalog.web;

import dev.mesh.catalog.CatalogApplication;
import dev.mesh.catalog.usage.UsageReport;
import dev.mesh.sdk.contract.DurationText;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Who reads each product and how much: {@code mesh usage} and the product pages; docs/guides/platform.md, "Catalog API", documents it. */
@Requires(env = CatalogApplication.ENV)
@Controller("/api/usage")
@ExecuteOn(TaskExecutors.BLOCKING)
final class UsageController {
    private static final Duration LONGEST = Duration.ofDays(400);
    private final UsageReport report;

    UsageController(UsageReport report) {
        this.report = report;
    }

    @Get("{?product,since}")
    HttpResponse<String> usage(@Nullable String product, @Nullable String since) {
        Optional<Duration> span = since == null ? Optional.of(Duration.ofDays(7)) : DurationText.parse(since);
        if (span.isEmpty() || span.get().isNegative() || span.get().isZero() || span.get().compareTo(LONGEST) > 0) {
            return Json.error(HttpStatus.BAD_REQUEST, "since: '" + since + "' is not a span of up to 400 days", "e.g. since=7d, 24h, 30d");
        }
        return Json.ok(Map.of("since", Instant.now().minus(span.get()), "idleAfter", report.idleAfter().toString(),
                "products", report.report(Optional.ofNullable(product), span.get(), Instant.now())));
    }
}
