package dev.mesh.service;

import dev.mesh.sdk.Derivation;
import dev.mesh.sdk.Mesh;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;

import java.util.List;

/**
 * Runs the derived products of this service's domain: every {@link Derivation} bean whose product the domain
 * ({@code mesh.domain}) owns becomes an exactly-once Streams app named by its product, started with the server.
 */
@Requires(env = DomainService.ENV)
@Context
final class Derivations {
    Derivations(Mesh mesh, StreamsApps apps, List<Derivation<?>> derivations, @Value("${mesh.domain}") String domain) {
        for (Derivation<?> d : derivations) {
            if (d.product().id().domain().equals(domain)) {
                apps.register(d.product().applicationId(), mesh.run(d));
            }
        }
    }
}
