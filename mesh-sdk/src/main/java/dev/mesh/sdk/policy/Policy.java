package dev.mesh.sdk.policy;

/**
 * One of the mesh's rules for contracts, as data: a CEL expression over {@code contract} (and, for a field policy,
 * each {@code field} of the schema) that must hold.
 *
 * @param at     the contract key a violation points to (its line), e.g. {@code classification}
 * @param names  a fact of the contract's view listing what breaks the policy, named in the message ("" for none)
 * @param origin the policy file and line that declared it, for messages
 */
public record Policy(String id, String description, Severity severity, Scope scope, String at, String names,
                     String expr, String origin) {

    public enum Severity {
        WARN, ERROR
    }

    /** What the expression is evaluated for: the contract once, or each field of its schema (nested ones too). */
    public enum Scope {
        CONTRACT, FIELD
    }
}
