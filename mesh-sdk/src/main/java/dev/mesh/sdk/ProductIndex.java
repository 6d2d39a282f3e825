package dev.mesh.sdk;

import java.util.List;

/**
 * The products a schemas jar publishes, found through {@link java.util.ServiceLoader} (see {@link Product#all()}).
 * The schemas module generates its implementation from its product folders; nobody keeps it by hand.
 */
public interface ProductIndex {
    List<Product<?>> products();
}
