package dev.mesh.registry.api;

import dev.mesh.registry.RegistryApplication;
import io.micronaut.context.annotation.Requires;
import dev.mesh.registry.core.RegistryException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import dev.mesh.service.security.ConfluentAuthorizationErrors;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error in Confluent's body shape {"error_code", "message"}: no stack traces, no framework pages. */
@Requires(env = RegistryApplication.ENV)
@Controller
final class ErrorResponses {
    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

    @Error(global = true, exception = RegistryException.class)
    HttpResponse<String> registryError(RegistryException e) {
        if (e.status() >= 500) {
            log.warn("registry error {}: {}", e.errorCode(), e.getMessage());
        }
        return Json.error(e.status(), e.errorCode(), e.getMessage());
    }

    @Error(global = true, exception = ContentLengthExceededException.class)
    HttpResponse<String> tooLarge(ContentLengthExceededException e) {
        return Json.error(422, 42209, "Request body too large: " + e.getMessage());
    }

    @Error(global = true, status = HttpStatus.NOT_FOUND)
    HttpResponse<String> notFound(HttpRequest<?> request) {
        return Json.error(404, 404, "No such endpoint: " + request.getMethod() + " " + request.getPath());
    }

    @Error(global = true, status = HttpStatus.METHOD_NOT_ALLOWED)
    HttpResponse<String> methodNotAllowed(HttpRequest<?> request) {
        return Json.error(405, 405, "Method " + request.getMethod() + " is not allowed on " + request.getPath());
    }

    @Error(global = true, exception = AuthorizationException.class)
    MutableHttpResponse<?> refused(HttpRequest<?> request, AuthorizationException e) {
        return ConfluentAuthorizationErrors.response(request, e);
    }

    @Error(global = true, exception = io.netty.handler.codec.compression.DecompressionException.class)
    HttpResponse<String> notAsEncoded(HttpRequest<?> request, io.netty.handler.codec.compression.DecompressionException e) {
        return Json.error(400, 400, dev.mesh.service.security.RequestShapeErrors.encoding(request, e));
    }

    @Error(global = true, exception = io.micronaut.core.convert.exceptions.ConversionErrorException.class)
    HttpResponse<String> wrongKind(io.micronaut.core.convert.exceptions.ConversionErrorException e) {
        return Json.error(400, 400, dev.mesh.service.security.RequestShapeErrors.conversion(e));
    }

    @Error(global = true, exception = Throwable.class)
    HttpResponse<String> unexpected(HttpRequest<?> request, Throwable e) {
        log.error("unexpected error serving {} {}", request.getMethod(), request.getPath(), e);
        return Json.error(500, 50001, "Internal error serving " + request.getPath() + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
}
