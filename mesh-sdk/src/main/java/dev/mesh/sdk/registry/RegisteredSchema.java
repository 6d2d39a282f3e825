package dev.mesh.sdk.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** A schema as the registry returns it: by subject and version, or by id (then subject and version are null). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegisteredSchema(String subject, Integer id, Integer version, String schemaType, String schema,
                               List<SchemaReference> references, Metadata metadata, RuleSet ruleSet) {
}
