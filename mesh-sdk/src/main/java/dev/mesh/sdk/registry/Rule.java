package dev.mesh.sdk.registry;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;
import java.util.Set;

/** One rule of a data contract's rule set, in Confluent's shape (kind CONDITION, type CEL for quality rules). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Rule(String name, String doc, String kind, String mode, String type, Set<String> tags,
                   Map<String, String> params, String expr, String onSuccess, String onFailure, Boolean disabled) {
}
