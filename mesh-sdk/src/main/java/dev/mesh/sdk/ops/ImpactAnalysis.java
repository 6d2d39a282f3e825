package dev.mesh.sdk.ops;

import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ConsumerEntry;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.registry.RegistryClient;
import dev.mesh.sdk.registry.SchemaRegistryException;
import dev.mesh.sdk.registry.SchemaRequest;
import org.apache.avro.Schema;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** {@link Impact} from the registry (compatibility, schemas), the catalog (who reads what) and the groups' lag. */
final class ImpactAnalysis {
    private final RegistryClient registry;
    private final ConsumerLags lags;

    ImpactAnalysis(RegistryClient registry, ConsumerLags lags) {
        this.registry = registry;
        this.lags = lags;
    }

    Impact of(ProductEntry product, Schema proposed, CatalogSnapshot catalog) {
        List<String> incompatibilities = registry.incompatibilities(product.subject(), SchemaRequest.avro(proposed.toString()));
        String level = registry.compatibility(product.subject()).map(Enum::name)
                .orElse(product.compatibility() == null ? "BACKWARD" : product.compatibility());
        Set<String> current = fieldNames(schemaOf(product.subject()).orElse(proposed));
        List<Impact.Derived> derived = catalog.downstreamOf(product.topic()).stream()
                .map(d -> new Impact.Derived(d.product(), d.topic(), d.streamsApplicationId(), d.ownerTeam(), d.ownerContact(),
                        schemaOf(d.subject()).map(ImpactAnalysis::fieldNames).orElse(Set.of()).stream()
                                .filter(current::contains).sorted().toList()))
                .toList();
        Set<String> domains = catalog.allProducts().stream().map(p -> p.product().substring(0, p.product().indexOf('.')))
                .collect(Collectors.toSet());
        List<Impact.Group> groups = lags.consumersOf(product, catalog).stream()
                .map(l -> new Impact.Group(l.group(), kind(catalog, l.group(), product.topic()), l.records(), l.timeLag(),
                        owner(l.group(), domains)))
                .toList();
        return new Impact(product.product(), product.topic(), level, incompatibilities, derived, groups);
    }

    private static String kind(CatalogSnapshot catalog, String group, String topic) {
        return catalog.consumersOf(topic).stream().filter(c -> c.group().equals(group)).map(ConsumerEntry::kind)
                .findFirst().orElse("consumer");
    }

    /** Groups of the mesh begin with their domain ({@code finance-order-settlements}). */
    private static String owner(String group, Set<String> domains) {
        int dash = group.indexOf('-');
        String prefix = dash > 0 ? group.substring(0, dash) : group;
        return domains.contains(prefix) ? prefix : "unknown";
    }

    private Optional<Schema> schemaOf(String subject) {
        try {
            return Optional.of(new Schema.Parser().parse(registry.latest(subject).schema()));
        } catch (SchemaRegistryException | org.apache.avro.SchemaParseException e) {
            return Optional.empty();
        }
    }

    /** The names of a record's fields, nested ones too: what a derived product may carry over from its input. */
    private static Set<String> fieldNames(Schema schema) {
        Set<String> names = new TreeSet<>();
        collect(schema, names, new java.util.HashSet<>());
        return names;
    }

    private static void collect(Schema schema, Set<String> names, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    schema.getFields().forEach(f -> {
                        names.add(f.name());
                        collect(f.schema(), names, seen);
                    });
                }
            }
            case ARRAY -> collect(schema.getElementType(), names, seen);
            case MAP -> collect(schema.getValueType(), names, seen);
            case UNION -> schema.getTypes().forEach(t -> collect(t, names, seen));
            default -> {
            }
        }
    }
}
