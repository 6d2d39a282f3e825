package dev.mesh.service.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;

import java.util.Optional;

/** What a service refuses an authenticated principal beyond the mesh's own rule: why, if it does. */
public interface RequestAccess {
    Optional<String> refusal(HttpRequest<?> request, Authentication principal);

    static boolean isAdmin(Authentication principal) {
        return principal.getRoles().contains(MeshSecurity.ADMIN_ROLE);
    }
}
