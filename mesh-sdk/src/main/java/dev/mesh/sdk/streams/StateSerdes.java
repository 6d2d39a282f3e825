package dev.mesh.sdk.streams;

import org.apache.kafka.common.serialization.Serde;

/**
 * Where a topology gets serdes for its own state. Topologies take one so the same code runs with the app's
 * {@link ProductStreams#stateSerde} and with plain {@link dev.mesh.sdk.serde.StateSerde}s under TopologyTestDriver.
 */
@FunctionalInterface
public interface StateSerdes {
    <T> Serde<T> of(Class<T> type);
}
