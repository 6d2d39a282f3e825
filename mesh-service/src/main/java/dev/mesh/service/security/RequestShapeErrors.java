package dev.mesh.service.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.netty.handler.codec.compression.DecompressionException;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * Requests whose shape is the client's mistake, answered 400 naming what was wrong instead of a 500: a body that is not
 * what its {@code Content-Encoding} says, a path or query value of the wrong kind (e.g. {@code /health/x}). Services
 * with their own error format (the registry's) answer these in it.
 */
public final class RequestShapeErrors {
    private RequestShapeErrors() {
    }

    static HttpResponse<?> badRequest(String field, String message) {
        return HttpResponse.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(Map.of("error_code", 400, "field", field, "message", message));
    }

    /** A body that does not decode as its {@code Content-Encoding} says. */
    public static String encoding(HttpRequest<?> request, DecompressionException e) {
        return "the body is not " + request.getHeaders().get("Content-Encoding", String.class).orElse("encoded")
                + " as its Content-Encoding says: " + e.getMessage();
    }

    /** A path or query value that is not of its route's kind. */
    public static String conversion(ConversionErrorException e) {
        return "'" + e.getArgument().getName() + "' cannot be " + printable(String.valueOf(e.getConversionError().getOriginalValue().orElse("")));
    }

    private static String printable(String text) {
        String s = text.codePoints().filter(c -> c >= 0x20 && c < 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    @Singleton
    @Produces
    @Requires(classes = DecompressionException.class)
    static final class Encoding implements ExceptionHandler<DecompressionException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, DecompressionException e) {
            return badRequest("Content-Encoding", encoding(request, e));
        }
    }

    @Singleton
    @Produces
    static final class Conversion implements ExceptionHandler<ConversionErrorException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, ConversionErrorException e) {
            return badRequest(e.getArgument().getName(), conversion(e));
        }
    }
}
