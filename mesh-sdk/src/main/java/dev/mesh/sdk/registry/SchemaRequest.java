package dev.mesh.sdk.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** The body of register, lookup and compatibility requests. {@code schemaType} null means AVRO. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SchemaRequest(String schema, String schemaType, List<SchemaReference> references,
                            Metadata metadata, RuleSet ruleSet) {

    public static SchemaRequest avro(String schema) {
        return new SchemaRequest(schema, null, List.of(), null, null);
    }
}
