package dev.mesh.catalog;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.registry.RegisteredSchema;
import dev.mesh.sdk.registry.RegistryClient;
import dev.mesh.sdk.registry.SchemaRegistryException;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.apache.avro.Schema;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The registry as the catalog asks it: a subject that is not there is an answer, not an error. */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class SchemaSource {
    private final RegistryClient registry;

    SchemaSource(Mesh mesh) {
        this.registry = mesh.registry();
    }

    public Optional<RegisteredSchema> latest(String subject) {
        return unlessMissing(() -> registry.latest(subject));
    }

    public Optional<RegisteredSchema> version(String subject, int version) {
        return unlessMissing(() -> registry.version(subject, version));
    }

    /** Registered versions, oldest first; empty when the subject does not exist. */
    public List<Integer> versions(String subject) {
        return unlessMissing(() -> registry.versions(subject)).orElse(List.of());
    }

    public Schema parse(RegisteredSchema registered) {
        return registered.id() != null ? registry.schemaById(registered.id())
                : registry.parse(registered.schema(), registered.references());
    }

    /** The schema search indexes: the one the product's writer registered, else the subject's latest. */
    public Optional<Schema> schemaOf(ProductEntry p) {
        if (p.schemaId() != null) {
            Optional<Schema> byId = unlessMissing(() -> registry.schemaById(p.schemaId()));
            if (byId.isPresent()) {
                return byId;
            }
        }
        return p.subject() == null ? Optional.empty() : latest(p.subject()).map(this::parse);
    }

    private static <T> Optional<T> unlessMissing(Supplier<T> call) {
        try {
            return Optional.ofNullable(call.get());
        } catch (SchemaRegistryException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
