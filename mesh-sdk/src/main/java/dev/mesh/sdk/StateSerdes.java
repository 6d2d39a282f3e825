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
        return Materialized.<String, T, KeyValueStore<Bytes, byte[]>>as(product.storeName())
                .withKeySerde(Serdes.String()).withValueSerde(of(product.type()));
    }
}
