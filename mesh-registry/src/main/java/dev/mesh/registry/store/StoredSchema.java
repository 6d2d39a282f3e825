package dev.mesh.registry.store;

import dev.mesh.sdk.registry.Metadata;
import dev.mesh.sdk.registry.RuleSet;
import dev.mesh.sdk.registry.SchemaReference;

import java.util.List;

/**
 * What one global schema id stands for: the canonical schema with its references and its contract (metadata and
 * rule set). Equal content gets one id, whatever subject registers it.
 */
public record StoredSchema(String schemaType, String schema, List<SchemaReference> references,
                           Metadata metadata, RuleSet ruleSet) {
    public StoredSchema {
        references = references == null ? List.of() : List.copyOf(references);
    }

    public boolean sameSchema(StoredSchema other) {
        return schemaType.equals(other.schemaType) && schema.equals(other.schema) && references.equals(other.references);
    }
}
