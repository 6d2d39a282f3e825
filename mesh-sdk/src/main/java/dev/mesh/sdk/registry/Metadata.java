package dev.mesh.sdk.registry;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;
import java.util.Set;

/**
 * A data contract's metadata, as Confluent Schema Registry 7.4+ carries it: tags per field path, free-form
 * properties (the mesh keeps owner, version, classification, SLOs here) and which properties are sensitive.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Metadata(Map<String, Set<String>> tags, Map<String, String> properties, Set<String> sensitive) {
}
