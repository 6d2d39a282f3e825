package dev.mesh.catalog.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The catalog's HTML pages: static files whose scripts ask the JSON API, so there is nothing to build. */
final class Pages {
    static final String SEARCH = "search";
    static final String PRODUCT = "product";
    static final String LINEAGE = "lineage";
    static final String DOMAINS = "domains";
    static final String SQL = "sql";
    static final String NOT_FOUND = "notfound";
    static final String UNAVAILABLE = "unavailable";

    private static final Map<String, String> LOADED = new ConcurrentHashMap<>();

    private Pages() {
    }

    static MutableHttpResponse<String> page(String name) {
        return page(HttpStatus.OK, name);
    }

    static MutableHttpResponse<String> page(HttpStatus status, String name) {
        return page(status, name, "");
    }

    /** With {@code detail} (escaped) in place of the page's {@code <!--detail-->} mark, e.g. what failed. */
    static MutableHttpResponse<String> page(HttpStatus status, String name, String detail) {
        String html = LOADED.computeIfAbsent(name, Pages::load).replace("<!--detail-->", escape(detail));
        return HttpResponse.<String>status(status).contentType(MediaType.TEXT_HTML_TYPE).body(html);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static String load(String name) {
        String path = "catalog/pages/" + name + ".html";
        try (InputStream in = Pages.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("page " + path + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read page " + path, e);
        }
    }
}
