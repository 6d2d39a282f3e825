package dev.mesh.archfixture.shop;

import dev.mesh.sdk.internal.serde.StateSerde;

/** Fixture: a domain class reaching into the SDK's internals, for the architecture test to catch. */
public class ShopTopology {
    public StateSerde<String> serde;
}
