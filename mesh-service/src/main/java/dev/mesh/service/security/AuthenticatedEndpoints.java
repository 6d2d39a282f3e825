package dev.mesh.service.security;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.inject.ExecutableMethod;
import io.micronaut.management.endpoint.EndpointSensitivityProcessor;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.security.rules.SensitiveEndpointRule;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/** A sensitive endpoint (/prometheus, /health's details) is for any authenticated principal of the mesh. */
@Singleton
@Replaces(SensitiveEndpointRule.class)
@Requires(property = MeshSecurity.REALM)
final class AuthenticatedEndpoints extends SensitiveEndpointRule {

    AuthenticatedEndpoints(EndpointSensitivityProcessor endpoints) {
        super(endpoints);
    }

    @Override
    protected Publisher<SecurityRuleResult> checkSensitiveAuthenticated(HttpRequest<?> request, Authentication principal,
                                                                        ExecutableMethod<?, ?> method) {
        return Publishers.just(SecurityRuleResult.ALLOWED);
    }
}
