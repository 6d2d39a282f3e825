package dev.mesh.sdk.internal.quality;

import dev.mesh.sdk.contract.QualityRule;

/**
 * A record broke a quality rule.
 *
 * @param reason "expression was false", or why the expression could not be evaluated on this record
 */
public record RuleFailure(QualityRule rule, String reason) {
    public static final String FALSE = "expression was false";
}
