package dev.mesh.service;

import dev.mesh.sdk.Product;
import dev.mesh.sdk.json.AvroJson;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A derived product's second output port: one record by key from a Streams app's store, as JSON, on any instance of
 * the service. The instance whose task holds the key's partition answers from its store; any other asks that one
 * ({@code queryMetadataForKey}, over the addresses the instances advertise as {@code application.server}). When
 * the owner does not answer (it died, and the group has not noticed yet), an instance holding a standby copy
 * answers from it, marked {@code Mesh-Stale: true}. 404 for an unknown key; 503 while no instance can answer.
 */
public final class StoreLookup {
    /** Set on a lookup one instance asks another: the asked one answers from its own stores or not at all. */
    static final String FORWARDED = "Mesh-Forwarded";
    /** On a forwarded lookup: the principal the forwarding instance answers, for the owner's logs. */
    static final String ON_BEHALF_OF = "Mesh-On-Behalf-Of";
    /** Set on an answer from a standby copy, which may lag the owner's by the commit interval. */
    public static final String STALE = "Mesh-Stale";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private StoreLookup() {
    }

    /** The record with this key of a derived product this service derives, wherever its instances hold it. */
    public static HttpResponse<String> byKey(StreamsApps apps, Product<?> product, String key, HttpRequest<?> request) {
        String appName = product.applicationId();
        String store = product.storeName();
        if (!apps.hasStore(appName, store)) {
            return error(HttpStatus.NOT_FOUND, product.id() + " keeps no store to look a key up in; read its topic "
                    + product.topic() + " instead");
        }
        Optional<KafkaStreams> running = apps.app(appName);
        if (running.isEmpty()) {
            return error(HttpStatus.SERVICE_UNAVAILABLE, appName + " is not started yet");
        }
        KeyQueryMetadata owner;
        try {
            owner = running.get().queryMetadataForKey(store, key, Serdes.String().serializer());
        } catch (RuntimeException e) {
            owner = KeyQueryMetadata.NOT_AVAILABLE;
        }
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            // While the group rebalances nobody is sure who holds the key, but this instance may still have a copy of
            // it (active or standby): a found record is served as stale; absence proves nothing, so it is a 503.
            return staleCopy(apps, appName, store, key).orElseGet(() -> error(HttpStatus.SERVICE_UNAVAILABLE,
                    appName + " is rebalancing; no instance can answer for '" + key + "' yet"));
        }
        HostInfo self = apps.self();
        boolean forwarded = request.getHeaders().contains(FORWARDED);
        if (owner.activeHost().equals(self)) {
            return local(apps, appName, store, key, owner.partition(), false);
        }
        if (!forwarded) {
            Optional<HttpResponse<String>> answer = ask(owner.activeHost(), request, apps.peerAuthorization());
            if (answer.isPresent()) {
                return answer.get();
            }
        }
        if (owner.standbyHosts().contains(self)) {
            return local(apps, appName, store, key, owner.partition(), true);
        }
        return error(HttpStatus.SERVICE_UNAVAILABLE, "the instance holding '" + key + "' (" + owner.activeHost().host() + ":"
                + owner.activeHost().port() + ") does not answer and this one has no copy; retry shortly");
    }

    private static HttpResponse<String> local(StreamsApps apps, String app, String store, String key, int partition, boolean stale) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, Object>> query = StoreQueryParameters
                .fromNameAndType(store, QueryableStoreTypes.<String, Object>keyValueStore()).withPartition(partition);
        try {
            Optional<ReadOnlyKeyValueStore<String, Object>> view = apps.store(app, stale ? query.enableStaleStores() : query);
            if (view.isEmpty()) {
                return error(HttpStatus.SERVICE_UNAVAILABLE, app + " is not running yet; its state is being restored");
            }
            Object value = view.get().get(key);
            if (value == null && stale) {
                // a standby may still be catching up (a new instance's is built from the changelog): only the
                // active copy may say a key does not exist
                return error(HttpStatus.SERVICE_UNAVAILABLE, "the instance holding '" + key + "' does not answer and this"
                        + " instance's copy of " + store + " has no record with that key yet; retry shortly");
            }
            if (value == null) {
                return error(HttpStatus.NOT_FOUND, "no record with key '" + key + "' in " + store);
            }
            return found(value, stale);
        } catch (InvalidStateStoreException e) {
            return error(HttpStatus.SERVICE_UNAVAILABLE, app + " cannot serve " + store + " right now: " + e.getMessage());
        }
    }

    /** The key from whichever of this instance's copies of the store has it, marked stale; empty when none has. */
    private static Optional<HttpResponse<String>> staleCopy(StreamsApps apps, String app, String store, String key) {
        try {
            return apps.store(app, StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, Object>keyValueStore())
                            .enableStaleStores())
                    .map(view -> view.get(key))
                    .map(value -> found(value, true));
        } catch (InvalidStateStoreException e) {
            return Optional.empty();
        }
    }

    private static HttpResponse<String> found(Object value, boolean stale) {
        HttpResponse<String> ok = HttpResponse.ok(AvroJson.toJson(value).toString()).contentType(MediaType.APPLICATION_JSON_TYPE);
        return stale ? ((io.micronaut.http.MutableHttpResponse<String>) ok).header(STALE, "true") : ok;
    }

    /**
     * The owner's answer to the same lookup, or empty when it does not answer (or answers that it cannot). This instance
     * decided the caller may read the product; it asks as the service itself ({@code peer}: its own principal, the
     * product's owner), never with the caller's credentials, and names the caller in {@code Mesh-On-Behalf-Of}.
     */
    private static Optional<HttpResponse<String>> ask(HostInfo owner, HttpRequest<?> request, Optional<String> peer) {
        String path = request.getUri().getRawPath();
        java.net.http.HttpRequest.Builder ask = java.net.http.HttpRequest.newBuilder(
                        URI.create("http://" + owner.host() + ":" + owner.port() + path))
                .timeout(Duration.ofSeconds(5)).header(FORWARDED, "1").GET();
        peer.ifPresent(a -> ask.header(HttpHeaders.AUTHORIZATION, a));
        request.getUserPrincipal().ifPresent(p -> ask.header(ON_BEHALF_OF, "User:" + p.getName()));
        try {
            var answer = HTTP.send(ask.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == HttpStatus.SERVICE_UNAVAILABLE.getCode()) {
                return Optional.empty();
            }
            var response = HttpResponse.<String>status(HttpStatus.valueOf(answer.statusCode())).body(answer.body())
                    .contentType(MediaType.APPLICATION_JSON_TYPE);
            answer.headers().firstValue(STALE).ifPresent(v -> response.header(STALE, v));
            return Optional.of(response);
        } catch (java.io.IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static HttpResponse<String> error(HttpStatus status, String message) {
        try {
            return HttpResponse.<String>status(status).body(JSON.writeValueAsString(Map.of("error", message)))
                    .contentType(MediaType.APPLICATION_JSON_TYPE);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
