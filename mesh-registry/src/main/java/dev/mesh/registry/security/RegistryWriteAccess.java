package dev.mesh.registry.security;

import dev.mesh.registry.RegistryApplication;
import dev.mesh.service.security.MeshSecurity;
import dev.mesh.service.security.RequestAccess;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Who may change the registry: reads (and lookups, compatibility tests) are for every principal of the mesh; a
 * subject under {@code <domain>.} is registered, deleted and configured by that domain (or an admin); the global
 * compatibility and mode, and permanent deletes, by admins only.
 */
@Singleton
@Requires(env = RegistryApplication.ENV)
@Requires(property = MeshSecurity.REALM)
final class RegistryWriteAccess implements RequestAccess {

    @Override
    public Optional<String> refusal(HttpRequest<?> request, Authentication principal) {
        HttpMethod method = request.getMethod();
        String[] path = request.getPath().replaceAll("^/+|/+$", "").split("/");
        boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD
                || path[0].equals("compatibility")
                || (method == HttpMethod.POST && path[0].equals("subjects") && path.length == 2);
        if (read || RequestAccess.isAdmin(principal)) {
            return Optional.empty();
        }
        String who = "User:" + principal.getName();
        boolean global = (path[0].equals("config") || path[0].equals("mode")) && path.length == 1;
        if (global) {
            return Optional.of(who + " may not change the global " + path[0] + "; only an admin may");
        }
        if (method == HttpMethod.DELETE && request.getParameters().get("permanent", Boolean.class).orElse(false)) {
            return Optional.of(who + " may not delete permanently; only an admin may");
        }
        if (path.length < 2) {
            return Optional.of(who + " may not " + method + " " + request.getPath());
        }
        String subject;
        try {
            subject = URLDecoder.decode(path[1], StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.of(who + " may not change '" + path[1] + "': not a subject name (" + e.getMessage() + ")");
        }
        int dot = subject.indexOf('.');
        String domain = dot > 0 ? subject.substring(0, dot) : "";
        if (!domain.equals(principal.getName())) {
            return Optional.of(who + " may not change subject " + subject + ": subjects under '"
                    + (domain.isEmpty() ? subject : domain + ".") + "' belong to "
                    + (domain.isEmpty() ? "admins" : "User:" + domain + " (or an admin)"));
        }
        return Optional.empty();
    }
}
