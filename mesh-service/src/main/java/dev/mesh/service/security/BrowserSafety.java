package dev.mesh.service.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * What a hostile page in the user's browser cannot make a service of the mesh do. A request that changes state (any
 * method but GET, HEAD and OPTIONS) must say it is JSON ({@code application/json} or a {@code +json} type such as the
 * registry's): an HTML form can only send form-encoded, multipart or text/plain bodies, and a script on another origin
 * cannot send a JSON content type without a CORS preflight, which these services never answer. A request carrying an
 * {@code Origin} other than the service's own is refused too. Every response forbids framing, MIME sniffing and
 * scripts from anywhere but the service itself.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = MeshSecurity.REALM)
final class BrowserSafety {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
            + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @RequestFilter
    Optional<MutableHttpResponse<?>> sameOrigin(HttpRequest<?> request) {
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return Optional.empty();
        }
        Optional<String> origin = request.getHeaders().get("Origin", String.class);
        if (origin.isPresent() && !origin.get().equals(ownOrigin(request))) {
            return Optional.of(refuse(HttpStatus.FORBIDDEN, "Origin", "a " + method + " from " + printable(origin.get())
                    + " is not from this service (" + ownOrigin(request) + ")"));
        }
        boolean hasBody = request.getContentLength() > 0 || request.getHeaders().contains("Transfer-Encoding");
        Optional<MediaType> type = request.getContentType();
        if (method == HttpMethod.DELETE && !hasBody && type.isEmpty()) {
            return Optional.empty(); // a DELETE cannot come from a form, and a script's needs a preflight
        }
        if (type.isEmpty() || !isJson(type.get())) {
            return Optional.of(refuse(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type", "a " + method
                    + " takes JSON: send Content-Type: application/json" + type.map(t -> ", not " + t).orElse("")));
        }
        return Optional.empty();
    }

    @ResponseFilter
    void headers(MutableHttpResponse<?> response) {
        response.header("X-Content-Type-Options", "nosniff");
        response.header("X-Frame-Options", "DENY");
        response.header("Content-Security-Policy", CSP);
        response.header("Referrer-Policy", "no-referrer");
    }

    static boolean isJson(MediaType type) {
        String sub = type.getSubtype().toLowerCase(java.util.Locale.ROOT);
        return type.getType().equalsIgnoreCase("application") && (sub.equals("json") || sub.endsWith("+json"));
    }

    /** The origin this request was addressed to: its scheme and Host header. */
    private static String ownOrigin(HttpRequest<?> request) {
        String host = request.getHeaders().get("Host", String.class).orElse(request.getServerAddress().getHostString()
                + ":" + request.getServerAddress().getPort());
        URI uri = request.getUri();
        String scheme = uri.getScheme() == null ? (request.isSecure() ? "https" : "http") : uri.getScheme();
        return scheme + "://" + host;
    }

    private static MutableHttpResponse<?> refuse(HttpStatus status, String field, String message) {
        int code = status == HttpStatus.FORBIDDEN ? 40301 : 41501;
        return HttpResponse.status(status).contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(Map.of("error_code", code, "field", field, "message", message));
    }

    private static String printable(String text) {
        String s = text.codePoints().filter(c -> c >= 0x20 && c < 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
