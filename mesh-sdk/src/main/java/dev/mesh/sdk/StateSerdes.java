package dev.mesh.sdk;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Where a topology gets serdes for its own state (stores, repartition topics: no registry). Topologies take one
 * so the same code runs in the app and under TopologyTestDriver with {@link #plain()}.
 */
@FunctionalInterface
public interface StateSerdes {
    <T> Serde<T> of(Class<T> type);

    /** State serdes of no app, e.g. for a TopologyTestDriver test's input and output topics. */
    static StateSerdes plain() {
        return dev.mesh.sdk.internal.serde.StateSerde::new;
    }

    /** A store named by the product ({@link Product#storeName()}), keyed by string, holding its records. */
    default <T> Materialized<String, T, KeyValueStore<Bytes, byte[]>> store(Product<T> product) {
        return store(product.storeName(), product.type());
    }

    /** A named store keyed by string (name it: generated names change when the topology does). */
    default <T> Materialized<String, T, KeyValueStore<Bytes, byte[]>> store(String name, Class<T> type) {
        return Materialized.<String, T, KeyValueStore<Bytes, byte[]>>as(name).withKeySerde(Serdes.String()).withValueSerde(of(type));
    }

    /** A stream-table join on a string key, with the repartition topic (if the stream was re-keyed) named. */
    default <V, T> org.apache.kafka.streams.kstream.Joined<String, V, T> joined(String name, Class<V> stream, Class<T> table) {
        return org.apache.kafka.streams.kstream.Joined.with(Serdes.String(), of(stream), of(table), name);
    }

    /** Grouping by a string key, with the repartition topic named (see {@link #store(String, Class)}). */
    default <T> org.apache.kafka.streams.kstream.Grouped<String, T> grouped(String name, Class<T> type) {
        return org.apache.kafka.streams.kstream.Grouped.with(name, Serdes.String(), of(type));
    }
}
