package dev.mesh.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat tool's webhook as the catalog's alerts reach it: records every call with its body and key, and refuses the
 * first {@code failFirst} calls with 503 so tests see a failed call tried again.
 */
final class WebhookReceiver implements AutoCloseable {
    /** One call: the alert and the {@code Idempotency-Key} it came with; {@code accepted} when answered 200. */
    record Call(JsonNode alert, String key, boolean accepted) {
    }

    private final HttpServer server;
    private final List<Call> calls = new ArrayList<>();
    private final AtomicInteger failFirst;

    WebhookReceiver(int refused) {
        this.failFirst = new AtomicInteger(refused);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            JsonNode body = RunningCatalog.json(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            boolean accept = failFirst.getAndDecrement() <= 0;
            synchronized (calls) {
                calls.add(new Call(body, exchange.getRequestHeaders().getFirst("Idempotency-Key"), accept));
            }
            exchange.sendResponseHeaders(accept ? 200 : 503, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
