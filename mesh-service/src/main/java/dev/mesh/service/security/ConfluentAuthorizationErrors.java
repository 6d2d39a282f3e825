package dev.mesh.service.security;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refusals in Confluent's format, which the registry speaks and its clients parse: 401 with {@code error_code}
 * 40101 and a basic-auth challenge, 403 with 40301 and the reason.
 */
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
@Requires(property = MeshSecurity.REALM)
public final class ConfluentAuthorizationErrors implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {

    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException e) {
        return response(request, e);
    }

    /** For services whose own catch-all error route would otherwise answer the refusal (the registry's). */
    public static MutableHttpResponse<?> response(HttpRequest<?> request, AuthorizationException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (!e.isForbidden()) {
            body.put("error_code", 40101);
            body.put("message", "Unauthorized: " + request.getMethodName() + " " + request.getPath()
                    + " needs the credentials of a principal of the mesh (HTTP basic auth, basic.auth.user.info)");
            return HttpResponse.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.APPLICATION_JSON_TYPE)
                    .header("WWW-Authenticate", "Basic realm=\"mesh\"").body(body);
        }
        String who = e.getAuthentication() == null ? "this principal" : "User:" + e.getAuthentication().getName();
        String reason = request.getAttribute(MeshAccessRule.REFUSAL, String.class)
                .orElse(who + " may not " + request.getMethodName() + " " + request.getPath());
        body.put("error_code", 40301);
        body.put("message", "Forbidden: " + reason);
        return HttpResponse.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
    }
}
