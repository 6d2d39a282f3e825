package dev.mesh.registry.core;

import org.apache.avro.Schema;

import java.util.List;

/**
 * An Avro schema parsed together with the schemas it references. {@code canonical} is Avro's own normalised
 * JSON of it (attribute order and whitespace gone, referenced types left as names): the schema's identity.
 */
public record ParsedSchema(Schema schema, String canonical, List<Schema> referenced) {
}
