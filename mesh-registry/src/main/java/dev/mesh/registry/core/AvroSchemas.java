package dev.mesh.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.sdk.registry.SchemaReference;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Parses Avro schemas with their references, the way both registration and lookup need them. */
public final class AvroSchemas {
    private static final int MAX_REFERENCE_DEPTH = 32;

    private AvroSchemas() {
    }

    /**
     * Parses {@code schema}, first parsing every schema it references (transitively) into the same parser so
     * their named types resolve. {@code resolve} finds a reference's stored schema or throws.
     */
    public static ParsedSchema parse(String schema, List<SchemaReference> references,
                                     Function<SchemaReference, StoredReference> resolve) {
        if (schema == null || schema.isBlank()) {
            throw RegistryException.invalidSchema("Invalid schema: the 'schema' field is missing or empty");
        }
        Schema.Parser parser = new Schema.Parser();
        List<Schema> referenced = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (SchemaReference ref : references) {
            parseReference(ref, resolve, parser, referenced, seen, 1);
        }
        try {
            Schema parsed = parser.parse(schema);
            return new ParsedSchema(parsed, parsed.toString(referenced, false), List.copyOf(referenced));
        } catch (org.apache.avro.AvroRuntimeException e) {
            throw RegistryException.invalidSchema("Invalid Avro schema: " + e.getMessage());
        } catch (RuntimeException e) {
            String undefined = undefinedTopLevelType(schema, e);
            throw RegistryException.invalidSchema("Invalid Avro schema: "
                    + (undefined != null ? "Undefined schema: " + undefined : e.toString()));
        }
    }

    /**
     * Avro 1.12 reports an undefined top-level type ({@code "nosuchtype"} or {@code {"type": "nosuchtype"}}) as a
     * NullPointerException about an internal placeholder; this finds the name the schema actually used.
     */
    private static String undefinedTopLevelType(String schema, RuntimeException e) {
        if (!(e instanceof NullPointerException) || !String.valueOf(e.getMessage()).contains("UnresolvedSchema")) {
            return null;
        }
        try {
            JsonNode node = new ObjectMapper().readTree(schema);
            JsonNode type = node.isObject() ? node.get("type") : node;
            return type != null && type.isTextual() ? type.asText() : null;
        } catch (java.io.IOException | RuntimeException notJson) {
            return null;
        }
    }

    private static void parseReference(SchemaReference ref, Function<SchemaReference, StoredReference> resolve,
                                       Schema.Parser parser, List<Schema> referenced, Set<String> seen, int depth) {
        if (ref.name() == null || ref.subject() == null) {
            throw RegistryException.invalidSchema("Invalid schema reference " + ref
                    + ": 'name', 'subject' and 'version' are required");
        }
        if (depth > MAX_REFERENCE_DEPTH) {
            throw RegistryException.invalidSchema("Schema references nest deeper than " + MAX_REFERENCE_DEPTH
                    + " at " + ref.subject() + " version " + ref.version() + " (a cycle?)");
        }
        if (!seen.add(ref.subject() + "/" + ref.version())) {
            return;
        }
        StoredReference target = resolve.apply(ref);
        for (SchemaReference nested : target.references()) {
            parseReference(nested, resolve, parser, referenced, seen, depth + 1);
        }
        try {
            referenced.add(parser.parse(target.schema()));
        } catch (RuntimeException e) {
            throw RegistryException.invalidSchema("Invalid schema reference '" + ref.name() + "' ("
                    + ref.subject() + " version " + ref.version() + "): " + e.getMessage());
        }
    }

    /** A referenced subject version's schema text and its own references. */
    public record StoredReference(String schema, List<SchemaReference> references) {
    }
}
