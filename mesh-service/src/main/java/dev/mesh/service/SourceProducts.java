package dev.mesh.service;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.MigrationBridge;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.Publisher;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The source products of this service's domain ({@code mesh.domain}): every product on the classpath that the
 * domain owns and derives from nothing. Each is opened for publishing at startup, so a broken contract or schema
 * stops the service at once, and each is accepted over HTTP at {@code POST /products/<name>}. A major fed by a
 * {@link MigrationBridge} has no publisher of its own: what its intake accepts is upgraded and published to its
 * successor.
 */
@Requires(env = DomainService.ENV)
@Context
public final class SourceProducts {
    private final String domain;
    private final Map<String, Intake<?>> intakes = new LinkedHashMap<>();
    private final Map<Product<?>, Publisher<?>> publishers = new LinkedHashMap<>();

    SourceProducts(Mesh mesh, @Value("${mesh.domain}") String domain) {
        this.domain = domain;
        List<MigrationBridge> bridges = MigrationBridge.all(domain);
        Set<String> fed = bridges.stream().map(b -> b.product().topic()).collect(Collectors.toSet());
        for (Product<?> product : Product.all()) {
            if (product.id().domain().equals(domain) && !product.contract().isDerived() && !fed.contains(product.topic())) {
                open(mesh, product);
            }
        }
        for (MigrationBridge bridge : bridges) {
            Publisher<?> successor = publishers.get(byTopic(bridge.source().topic()));
            intakes.put(bridge.product().name(), Intake.upgrading(bridge.product().contract(), bridge.migration(), successor));
        }
    }

    private Product<?> byTopic(String topic) {
        return publishers.keySet().stream().filter(p -> p.topic().equals(topic)).findFirst()
                .orElseThrow(() -> new IllegalStateException(topic + " is not a source product of " + domain));
    }

    private <T> void open(Mesh mesh, Product<T> product) {
        Publisher<T> publisher = mesh.publisher(product);
        publishers.put(product, publisher);
        intakes.put(product.name(), Intake.of(publisher));
    }

    public String domain() {
        return domain;
    }

    /** The product's publisher; the product must be one of this domain's source products. */
    @SuppressWarnings("unchecked")
    public <T> Publisher<T> publisher(Product<T> product) {
        Publisher<?> publisher = publishers.get(product);
        if (publisher == null) {
            throw new IllegalArgumentException(product + " is not a source product of " + domain + "; those are " + publishers.keySet());
        }
        return (Publisher<T>) publisher;
    }

    /** The intake of the product named {@code name} (e.g. orders, or orders-v2 for a second major). */
    public Optional<Intake<?>> intake(String name) {
        return Optional.ofNullable(intakes.get(name));
    }

    public <T> Intake<?> intake(Product<T> product) {
        return intake(product.name()).orElseThrow(() -> new IllegalArgumentException(product + " is not a source product of " + domain));
    }

    public List<String> names() {
        return List.copyOf(intakes.keySet());
    }

    public List<Product<?>> products() {
        return List.copyOf(publishers.keySet());
    }

    @PreDestroy
    void close() {
        publishers.values().forEach(Publisher::close);
    }
}
