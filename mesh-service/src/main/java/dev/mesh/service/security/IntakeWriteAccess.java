package dev.mesh.service.security;

import dev.mesh.service.DomainService;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * A domain service publishes only its domain's products, so whatever it is asked to change (an intake POST)
 * only that domain's principal, or an admin, may ask: the same principal that owns the products' topics on Kafka.
 */
@Singleton
@Requires(env = DomainService.ENV)
@Requires(property = MeshSecurity.REALM)
final class IntakeWriteAccess implements RequestAccess {
    private final String domain;

    IntakeWriteAccess(@Value("${mesh.domain}") String domain) {
        this.domain = domain;
    }

    @Override
    public Optional<String> refusal(HttpRequest<?> request, Authentication principal) {
        if (request.getMethod() == HttpMethod.GET || request.getMethod() == HttpMethod.HEAD
                || principal.getName().equals(domain) || RequestAccess.isAdmin(principal)) {
            return Optional.empty();
        }
        return Optional.of("User:" + principal.getName() + " may not publish " + domain + "'s products (POST "
                + request.getPath() + "); only User:" + domain + " or an admin may");
    }
}
