package dev.mesh.sdk.intake;

/**
 * One thing wrong with an input record.
 *
 * @param field where, as a path: {@code lines[0].unitPrice}, or {@code $} for the document as a whole
 */
public record FieldProblem(String field, String message) {
}
