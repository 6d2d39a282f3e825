package dev.mesh.sdk.registry;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** Domain rules (checked on write or read) and migration rules (between major versions) of a contract. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RuleSet(List<Rule> migrationRules, List<Rule> domainRules) {
}
