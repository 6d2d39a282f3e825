package dev.mesh.registry.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.sdk.registry.Metadata;
import dev.mesh.sdk.registry.RuleSet;

/**
 * The {@code _schemas} record format of Confluent's registry: JSON keys with {@code keytype} and JSON values.
 * Keys are written with a fixed member order, because compaction compares key bytes.
 */
public final class StoreRecords {
    static final ObjectMapper JSON = new ObjectMapper();

    private StoreRecords() {
    }

    public static StoreRecord schema(String subject, int version, int id, StoredSchema content, boolean deleted) {
        ObjectNode value = JSON.createObjectNode();
        value.put("subject", subject);
        value.put("version", version);
        value.put("id", id);
        value.put("schema", content.schema());
        value.put("deleted", deleted);
        if (!"AVRO".equals(content.schemaType())) {
            value.put("schemaType", content.schemaType());
        }
        if (!content.references().isEmpty()) {
            value.set("references", JSON.valueToTree(content.references()));
        }
        if (content.metadata() != null) {
            value.set("metadata", JSON.valueToTree(content.metadata()));
        }
        if (content.ruleSet() != null) {
            value.set("ruleSet", JSON.valueToTree(content.ruleSet()));
        }
        return new StoreRecord(schemaKey(subject, version), write(value));
    }

    /**
     * The content as it reads back from the log. The contract's empty members (e.g. {@code "tags": {}},
     * {@code "params": {}}) are not written, so they read back as null; a request's content must be compared in
     * this form, or an identical request would not match what is stored.
     */
    public static StoredSchema asStored(StoredSchema content) {
        return new StoredSchema(content.schemaType(), content.schema(), content.references(),
                content.metadata() == null ? null : JSON.convertValue(JSON.valueToTree(content.metadata()), Metadata.class),
                content.ruleSet() == null ? null : JSON.convertValue(JSON.valueToTree(content.ruleSet()), RuleSet.class));
    }

    public static StoreRecord schemaTombstone(String subject, int version) {
        return new StoreRecord(schemaKey(subject, version), null);
    }

    public static StoreRecord config(String subject, String level) {
        ObjectNode value = JSON.createObjectNode();
        value.put("compatibilityLevel", level);
        return new StoreRecord(subjectKey("CONFIG", subject), level == null ? null : write(value));
    }

    public static StoreRecord mode(String subject, String mode) {
        ObjectNode value = JSON.createObjectNode();
        value.put("mode", mode);
        return new StoreRecord(subjectKey("MODE", subject), mode == null ? null : write(value));
    }

    public static StoreRecord deleteSubject(String subject, int maxVersion) {
        ObjectNode value = JSON.createObjectNode();
        value.put("subject", subject);
        value.put("version", maxVersion);
        return new StoreRecord(subjectKey("DELETE_SUBJECT", subject), write(value));
    }

    /**
     * The highest id ever handed out (subject null) or the subject's highest version ever. Written with every
     * permanent delete and never tombstoned, so compaction cannot take away what the deleted records held, and
     * neither can be handed out again after a restart.
     */
    public static StoreRecord highWater(String subject, int value) {
        ObjectNode v = JSON.createObjectNode();
        v.put(subject == null ? "id" : "version", value);
        return new StoreRecord(subjectKey("HIGH_WATER", subject), write(v));
    }

    public static StoreRecord noop() {
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", "NOOP");
        key.put("magic", 0);
        return new StoreRecord(write(key), null);
    }

    private static String schemaKey(String subject, int version) {
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", "SCHEMA");
        key.put("subject", subject);
        key.put("version", version);
        key.put("magic", 1);
        return write(key);
    }

    private static String subjectKey(String type, String subject) {
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", type);
        if (subject == null) {
            key.putNull("subject");
        } else {
            key.put("subject", subject);
        }
        key.put("magic", 0);
        return write(key);
    }

    static JsonNode read(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
