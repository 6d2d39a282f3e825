package dev.mesh.sdk;

import org.apache.kafka.streams.kstream.KStream;

/**
 * How a derived product is computed from other products: a domain's topology, and all it has to write. The
 * domain service runs each of its domain's derivations as an exactly-once Streams app named by the product
 * ({@link Product#applicationId()}); a test runs it on {@link ProductStreams#detached} with TopologyTestDriver.
 */
public interface Derivation<T> {
    /** The product this derives. */
    Product<T> product();

    /** Reads the inputs from {@code streams} (each must be one of the contract's inputs) and returns the product's records. */
    KStream<String, T> derive(ProductStreams streams);
}
