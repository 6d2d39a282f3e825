package dev.mesh.catalog;

import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.ops.SchemaDiff;
import dev.mesh.sdk.registry.RegisteredSchema;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.List;

/** Field-level differences between two registered versions of a product's schema. */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class SchemaComparison {
    private final CatalogSnapshots snapshots;
    private final SchemaSource schemas;

    SchemaComparison(CatalogSnapshots snapshots, SchemaSource schemas) {
        this.snapshots = snapshots;
        this.schemas = schemas;
    }

    /** A version the subject does not have. */
    public static final class VersionNotFoundException extends RuntimeException {
        VersionNotFoundException(String message) {
            super(message);
        }
    }

    /** @param text the change in one line, e.g. {@code + lines[].discount: optional double = null} */
    public record Change(String kind, String field, String before, String after, String text) {
    }

    public record View(String subject, List<ProductPage.VersionInfo> versions, ProductPage.VersionInfo from,
                       ProductPage.VersionInfo to, List<Change> changes) {
    }

    /** Null {@code from} means the version before {@code to}; null {@code to} means the latest. */
    public View compare(String idOrTopic, Integer from, Integer to) {
        ProductEntry p = snapshots.product(idOrTopic);
        List<Integer> versions = schemas.versions(p.subject());
        if (versions.isEmpty()) {
            throw new VersionNotFoundException("subject " + p.subject() + " has no schema in the registry");
        }
        int toVersion = to != null ? to : versions.get(versions.size() - 1);
        int fromVersion = from != null ? from : versions.stream().filter(v -> v < toVersion).reduce((a, b) -> b).orElse(toVersion);
        RegisteredSchema a = registered(p.subject(), fromVersion);
        RegisteredSchema b = registered(p.subject(), toVersion);
        List<Change> changes = SchemaDiff.diff(schemas.parse(a), schemas.parse(b)).stream()
                .map(c -> new Change(c.kind(), c.field(), c.before(), c.after(), c.toString())).toList();
        return new View(p.subject(), versions.stream().map(v -> info(p.subject(), v)).toList(),
                info(a), info(b), changes);
    }

    private RegisteredSchema registered(String subject, int version) {
        return schemas.version(subject, version).orElseThrow(() ->
                new VersionNotFoundException("subject " + subject + " has no version " + version));
    }

    private ProductPage.VersionInfo info(String subject, int version) {
        return info(registered(subject, version));
    }

    private static ProductPage.VersionInfo info(RegisteredSchema r) {
        return new ProductPage.VersionInfo(r.version(), r.id(), ProductDetails.contractVersion(r));
    }
}
