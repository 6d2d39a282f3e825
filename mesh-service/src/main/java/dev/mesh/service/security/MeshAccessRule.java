package dev.mesh.service.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.security.rules.SensitiveEndpointRule;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.List;
import java.util.Optional;

/**
 * The mesh's one rule for its HTTP services: /health answers anyone (its details, like /prometheus, are
 * Micronaut's sensitive-endpoint business); everything else needs an authenticated principal, and what the service's
 * {@link RequestAccess} refuses is refused (403, the reason kept for the answer).
 */
@Singleton
@Requires(property = MeshSecurity.REALM)
final class MeshAccessRule implements SecurityRule<HttpRequest<?>> {
    /** The attribute carrying why a request was refused, for {@link ConfluentAuthorizationErrors}. */
    static final String REFUSAL = "mesh.security.refusal";

    private final List<RequestAccess> writes;

    MeshAccessRule(List<RequestAccess> writes) {
        this.writes = writes;
    }

    @Override
    public Publisher<SecurityRuleResult> check(HttpRequest<?> request, Authentication principal) {
        if (request.getPath().equals("/health") || request.getPath().startsWith("/health/")) {
            return Publishers.just(SecurityRuleResult.ALLOWED);
        }
        if (principal == null) {
            return Publishers.just(SecurityRuleResult.REJECTED);
        }
        for (RequestAccess access : writes) {
            Optional<String> refusal = access.refusal(request, principal);
            if (refusal.isPresent()) {
                request.setAttribute(REFUSAL, refusal.get());
                return Publishers.just(SecurityRuleResult.REJECTED);
            }
        }
        return Publishers.just(SecurityRuleResult.ALLOWED);
    }

    /** After Micronaut's own rules, so sensitive endpoints (/prometheus, /health details) keep theirs. */
    @Override
    public int getOrder() {
        return SensitiveEndpointRule.ORDER + 100;
    }
}
