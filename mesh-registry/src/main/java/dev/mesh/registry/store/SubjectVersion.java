package dev.mesh.registry.store;

/** One version of a subject: the schema id it points to and whether it is soft-deleted. */
public record SubjectVersion(String subject, int version, int id, boolean deleted) {
}
