package dev.mesh.catalog.slo;

import dev.mesh.catalog.CatalogApplication;
import dev.mesh.sdk.kafka.JsonTopic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.MapFormat;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tells a domain's chat or pager of its alerts: a POST of the {@link SloAlert} as JSON to the webhook configured for
 * the owning domain ({@code catalog.alerts.webhooks.<domain>}, else {@code catalog.alerts.webhook}). Only the
 * platform's settings name webhooks: a URL from a contract would let any domain make the catalog call into the
 * company's network. A call that fails is tried again with doubling delays; no call ever holds up an evaluation.
 */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class AlertHooks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertHooks.class);
    static final String WEBHOOKS = "catalog.alerts.webhooks";
    static final String WEBHOOK = "catalog.alerts.webhook";
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofMinutes(1);

    private final Map<String, URI> byDomain = new TreeMap<>();
    private final Optional<URI> fallback;
    private final int attempts;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "alert-hooks");
        t.setDaemon(true);
        return t;
    });
    private final Counter delivered;
    private final Counter failed;

    AlertHooks(@Property(name = WEBHOOKS) @MapFormat(transformation = MapFormat.MapTransformation.FLAT) @Nullable Map<String, String> webhooks,
               @Property(name = WEBHOOK) @Nullable String webhook,
               @Property(name = "catalog.alerts.attempts", defaultValue = "8") int attempts, MeterRegistry meters) {
        if (webhooks != null) {
            webhooks.forEach((domain, url) -> byDomain.put(domain, uri(WEBHOOKS + "." + domain, url)));
        }
        this.fallback = Optional.ofNullable(webhook).filter(w -> !w.isBlank()).map(w -> uri(WEBHOOK, w));
        if (attempts < 1) {
            throw new ConfigurationException("catalog.alerts.attempts is " + attempts + "; give at least 1");
        }
        this.attempts = attempts;
        this.delivered = Counter.builder("mesh.alerts.webhook.calls").tag("outcome", "delivered")
                .description("alerts a webhook accepted").register(meters);
        this.failed = Counter.builder("mesh.alerts.webhook.calls").tag("outcome", "given-up")
                .description("alerts no webhook accepted after every attempt").register(meters);
    }

    private static URI uri(String key, String url) {
        try {
            URI uri = URI.create(url.trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // said below
        }
        throw new ConfigurationException(key + " is '" + url + "'; expected an http:// or https:// URL");
    }

    /** Where the owning domain's alerts go, if anywhere. */
    Optional<URI> webhookOf(String domain) {
        return Optional.ofNullable(byDomain.get(domain)).or(() -> fallback);
    }

    /** Sends the alert to its domain's webhook in the background; returns at once. */
    void notify(SloAlert alert) {
        webhookOf(alert.owner()).ifPresent(uri -> {
            try {
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json").header("User-Agent", "mesh-catalog")
                        // the same alert tried again carries the same key, so a receiver can drop a repeat
                        .header("Idempotency-Key", alert.topic() + "/" + alert.slo() + "/" + alert.at())
                        .POST(HttpRequest.BodyPublishers.ofString(JsonTopic.JSON.writeValueAsString(alert))).build();
                retries.execute(() -> attempt(request, alert, 1, FIRST_RETRY));
            } catch (Exception e) {
                log.warn("alert {} not sent: {}", alert, e.toString());
            }
        });
    }

    /** A hook's host, for the log: Slack's and PagerDuty's URLs carry their secret in the path. */
    private static String where(java.net.URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/...";
    }

    private void attempt(HttpRequest request, SloAlert alert, int attempt, Duration wait) {
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error == null && response.statusCode() / 100 == 2) {
                delivered.increment();
                return;
            }
            String why = error != null ? error.toString() : "HTTP " + response.statusCode();
            if (attempt >= attempts) {
                failed.increment();
                log.warn("alert on {} {} ({} -> {}) not delivered to {} after {} attempts: {}", alert.topic(), alert.slo(),
                        alert.from(), alert.to(), where(request.uri()), attempt, why);
                return;
            }
            log.info("alert on {} {} to {} failed ({}), trying again in {} ms", alert.topic(), alert.slo(), where(request.uri()), why,
                    wait.toMillis());
            try {
                retries.schedule(() -> attempt(request, alert, attempt + 1, min(wait.multipliedBy(2), MAX_RETRY)),
                        wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        });
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    @PreDestroy
    public void close() {
        retries.shutdownNow();
    }
}
