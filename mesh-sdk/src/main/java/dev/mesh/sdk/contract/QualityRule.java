package dev.mesh.sdk.contract;

/**
 * A quality rule: a CEL expression over the record ({@code message}) that must be true.
 *
 * @param line where the rule is written in the contract file, for messages (0 when unknown)
 */
public record QualityRule(String name, String expr, String doc, OnFailure onFailure, int line) {

    /** What a failing record does: goes to the DLQ, fails the publish only, or is only counted. */
    public enum OnFailure {
        DLQ, ERROR, NONE
    }
}
