package dev.mesh.service;

import dev.mesh.sdk.Derivation;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.MigrationBridge;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;

import dev.mesh.sdk.Product;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the derived products of this service's domain: every {@link Derivation} bean whose product the domain
 * ({@code mesh.domain}) owns becomes an exactly-once Streams app named by its product, started with the server,
 * and its records are read by key at {@code GET /products/<name>/<key>}. A deprecated major of the domain that a
 * later major migrates from is fed by a {@link MigrationBridge} app until its sunset.
 */
@Requires(env = DomainService.ENV)
@Context
public final class Derivations {
    private final Map<String, Product<?>> byName = new LinkedHashMap<>();

    Derivations(Mesh mesh, StreamsApps apps, List<Derivation<?>> derivations, @Value("${mesh.domain}") String domain) {
        for (Derivation<?> d : derivations) {
            if (d.product().id().domain().equals(domain)) {
                apps.register(d.product().applicationId(), mesh.prepare(d));
                byName.put(d.product().name(), d.product());
            }
        }
        for (MigrationBridge bridge : MigrationBridge.all(domain)) {
            if (bridge.runsAt(mesh.now())) {
                apps.register(bridge.product().applicationId(), mesh.prepare(bridge));
            }
        }
    }

    /** The derived product of this domain named {@code name} (e.g. order-settlements, or orders-v2 for a second major). */
    public Optional<Product<?>> product(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }
}
