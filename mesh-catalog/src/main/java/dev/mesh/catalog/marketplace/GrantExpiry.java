package dev.mesh.catalog.marketplace;

import dev.mesh.catalog.CatalogApplication;
import dev.mesh.sdk.access.AccessGrant;
import dev.mesh.sdk.access.Marketplace;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ends grants past their expiry: their ACLs go, and the audit trail says so. */
@Requires(env = CatalogApplication.ENV)
@Singleton
final class GrantExpiry {
    private static final Logger log = LoggerFactory.getLogger(GrantExpiry.class);
    private final Marketplace marketplace;

    GrantExpiry(Marketplace marketplace) {
        this.marketplace = marketplace;
    }

    @Scheduled(fixedDelay = "${catalog.grant-expiry-check:2s}", initialDelay = "2s")
    void expire() {
        try {
            for (AccessGrant g : marketplace.expire()) {
                log.info("access grant {} of {} to {} expired; its ACLs are removed", g.id(), g.principal(), g.product());
            }
        } catch (RuntimeException e) {
            log.warn("could not check access grants for expiry: {}", e.getMessage());
        }
    }
}
