package dev.mesh.service.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;

import java.util.Optional;

/** What a service lets an authenticated principal do beyond reading: why not, if it may not. */
public interface WriteAccess {
    Optional<String> refusal(HttpRequest<?> request, Authentication principal);

    static boolean isAdmin(Authentication principal) {
        return principal.getRoles().contains(MeshSecurity.ADMIN_ROLE);
    }
}
