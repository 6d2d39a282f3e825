package dev.mesh.service.security;

import dev.mesh.sdk.security.PasswordRealm;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestAuthenticationProvider;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/** Basic auth against the mesh's realm: the principals' own secrets, the same as on Kafka. */
@Singleton
@Requires(property = MeshSecurity.REALM)
final class RealmAuthenticationProvider<B> implements HttpRequestAuthenticationProvider<B> {
    private final PasswordRealm realm;

    RealmAuthenticationProvider(@Value("${" + MeshSecurity.REALM + "}") String realm) {
        this.realm = PasswordRealm.at(Path.of(realm));
    }

    @Override
    public AuthenticationResponse authenticate(HttpRequest<B> request, AuthenticationRequest<String, String> auth) {
        return realm.authenticate(auth.getIdentity(), auth.getSecret())
                .map(roles -> AuthenticationResponse.success(auth.getIdentity(), roles))
                .orElseGet(() -> AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH));
    }
}
