package dev.mesh.service;

import dev.mesh.sdk.Product;
import dev.mesh.sdk.internal.serde.AvroJson;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Map;

/**
 * A derived product's second output port: one record by key from a Streams app's store, as JSON. 404 for an
 * unknown key; 503 while the app is starting or restoring and cannot answer yet.
 */
public final class StoreLookup {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private StoreLookup() {
    }

    /** The record with this key of a derived product this service derives, from its app's store. */
    public static HttpResponse<String> byKey(StreamsApps apps, Product<?> product, String key) {
        String app = product.applicationId();
        String store = product.storeName();
        try {
            var view = apps.store(app, store, QueryableStoreTypes.<String, Object>keyValueStore());
            if (view.isEmpty()) {
                return error(HttpStatus.SERVICE_UNAVAILABLE, app + " is not running yet; its state is being restored");
            }
            ReadOnlyKeyValueStore<String, Object> kv = view.get();
            Object value = kv.get(key);
            if (value == null) {
                return error(HttpStatus.NOT_FOUND, "no record with key '" + key + "' in " + store);
            }
            return HttpResponse.ok(AvroJson.toJson(value).toString()).contentType(MediaType.APPLICATION_JSON_TYPE);
        } catch (InvalidStateStoreException e) {
            return error(HttpStatus.SERVICE_UNAVAILABLE, app + " cannot serve " + store + " right now: " + e.getMessage());
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
