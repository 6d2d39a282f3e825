package dev.mesh.registry.leader;

import dev.mesh.registry.RegistryApplication;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;

/**
 * Joins the election once the HTTP server listens, so the URL this instance advertises (its server's, or
 * {@code registry.advertised-url} behind a proxy or in a container network) answers when followers forward to it.
 */
@Requires(env = RegistryApplication.ENV)
@Singleton
final class ElectionStart implements ApplicationEventListener<ServerStartupEvent> {
    private final LeaderElection election;
    private final String advertisedUrl;

    ElectionStart(LeaderElection election, @Nullable @Value("${registry.advertised-url:}") String advertisedUrl) {
        this.election = election;
        this.advertisedUrl = advertisedUrl;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        String url = advertisedUrl == null || advertisedUrl.isBlank()
                ? event.getSource().getURL().toString() : advertisedUrl;
        election.start(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }
}
