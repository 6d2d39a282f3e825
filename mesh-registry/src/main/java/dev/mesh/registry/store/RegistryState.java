package dev.mesh.registry.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.sdk.registry.Metadata;
import dev.mesh.sdk.registry.RuleSet;
import dev.mesh.sdk.registry.SchemaReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry's state in memory, built only by applying {@code _schemas} records in log order: every instance
 * that reads the log arrives at the same state. Reads are served from here.
 */
public final class RegistryState implements SchemaLog.State {
    private static final Logger log = LoggerFactory.getLogger(RegistryState.class);

    private final Map<Integer, StoredSchema> byId = new HashMap<>();
    private final Map<StoredSchema, Integer> idByContent = new HashMap<>();
    private final TreeMap<String, TreeMap<Integer, SubjectVersion>> subjects = new TreeMap<>();
    private final Map<String, Integer> maxVersionEver = new HashMap<>();
    private final Map<String, String> subjectConfig = new HashMap<>();
    private final Map<String, String> subjectMode = new HashMap<>();
    private String globalConfig;
    private String globalMode;
    private int maxId;

    /** Applies one record of the log; a record it cannot understand is logged and skipped, never fatal. */
    @Override
    public synchronized void apply(String keyJson, String valueJson) {
        try {
            JsonNode key = StoreRecords.read(keyJson);
            JsonNode value = StoreRecords.read(valueJson);
            String subject = key.hasNonNull("subject") ? key.get("subject").asText() : null;
            switch (key.path("keytype").asText()) {
                case "SCHEMA" -> applySchema(subject, key.path("version").asInt(), value);
                case "CONFIG" -> put(subjectConfig, subject, value == null ? null : value.path("compatibilityLevel").asText(), true);
                case "MODE" -> put(subjectMode, subject, value == null ? null : value.path("mode").asText(), false);
                case "DELETE_SUBJECT" -> {
                    if (value != null) {
                        maxVersionEver.merge(subject, value.path("version").asInt(), Math::max);
                    }
                }
                case "HIGH_WATER" -> {
                    if (subject == null) {
                        maxId = Math.max(maxId, value.path("id").asInt());
                    } else {
                        maxVersionEver.merge(subject, value.path("version").asInt(), Math::max);
                    }
                }
                case "NOOP" -> {
                }
                default -> log.warn("skipping _schemas record with unknown key {}", keyJson);
            }
        } catch (RuntimeException e) {
            log.warn("skipping unreadable _schemas record {}: {}", keyJson, e.toString());
        }
    }

    private void put(Map<String, String> perSubject, String subject, String value, boolean config) {
        if (subject == null) {
            if (config) {
                globalConfig = value;
            } else {
                globalMode = value;
            }
        } else if (value == null) {
            perSubject.remove(subject);
        } else {
            perSubject.put(subject, value);
        }
    }

    private void applySchema(String subject, int version, JsonNode value) {
        TreeMap<Integer, SubjectVersion> versions = subjects.computeIfAbsent(subject, s -> new TreeMap<>());
        if (value == null) {
            SubjectVersion removed = versions.remove(version);
            if (versions.isEmpty()) {
                subjects.remove(subject);
            }
            if (removed != null && !isReferencedByAnyVersion(removed.id())) {
                StoredSchema content = byId.remove(removed.id());
                if (content != null) {
                    idByContent.remove(content);
                }
            }
            return;
        }
        int id = value.path("id").asInt();
        StoredSchema content = new StoredSchema(
                value.hasNonNull("schemaType") ? value.get("schemaType").asText() : "AVRO",
                value.path("schema").asText(),
                value.has("references") ? List.of(StoreRecords.JSON.convertValue(value.get("references"), SchemaReference[].class)) : List.of(),
                value.hasNonNull("metadata") ? StoreRecords.JSON.convertValue(value.get("metadata"), Metadata.class) : null,
                value.hasNonNull("ruleSet") ? StoreRecords.JSON.convertValue(value.get("ruleSet"), RuleSet.class) : null);
        byId.putIfAbsent(id, content);
        idByContent.putIfAbsent(content, id);
        versions.put(version, new SubjectVersion(subject, version, id, value.path("deleted").asBoolean(false)));
        maxId = Math.max(maxId, id);
        maxVersionEver.merge(subject, version, Math::max);
    }

    private boolean isReferencedByAnyVersion(int id) {
        return subjects.values().stream().anyMatch(vs -> vs.values().stream().anyMatch(v -> v.id() == id));
    }

    public synchronized Optional<StoredSchema> schema(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    public synchronized Optional<Integer> idOf(StoredSchema content) {
        return Optional.ofNullable(idByContent.get(content));
    }

    public synchronized int maxId() {
        return maxId;
    }

    @Override
    public String summary() {
        return schemaCount() + " schemas";
    }

    public synchronized int schemaCount() {
        return byId.size();
    }

    /** Highest version the subject ever had, deleted ones included: versions are never reused. */
    public synchronized int maxVersionEver(String subject) {
        return maxVersionEver.getOrDefault(subject, 0);
    }

    public synchronized boolean subjectExists(String subject) {
        return subjects.containsKey(subject);
    }

    public synchronized List<String> subjects(boolean includeDeleted) {
        List<String> out = new ArrayList<>();
        subjects.forEach((s, vs) -> {
            if (includeDeleted || vs.values().stream().anyMatch(v -> !v.deleted())) {
                out.add(s);
            }
        });
        return out;
    }

    /** The subject's versions, oldest first. */
    public synchronized List<SubjectVersion> versions(String subject, boolean includeDeleted) {
        TreeMap<Integer, SubjectVersion> vs = subjects.get(subject);
        if (vs == null) {
            return List.of();
        }
        return vs.values().stream().filter(v -> includeDeleted || !v.deleted()).toList();
    }

    public synchronized List<SubjectVersion> versionsWithId(int id) {
        List<SubjectVersion> out = new ArrayList<>();
        subjects.values().forEach(vs -> vs.values().stream().filter(v -> v.id() == id).forEach(out::add));
        return out;
    }

    /** Ids of schemas whose references name this subject version. */
    public synchronized List<Integer> referencedBy(String subject, int version) {
        List<Integer> ids = new ArrayList<>();
        for (TreeMap<Integer, SubjectVersion> vs : subjects.values()) {
            for (SubjectVersion v : vs.values()) {
                if (v.deleted()) {
                    continue;
                }
                StoredSchema content = byId.get(v.id());
                if (content != null && content.references().stream()
                        .anyMatch(r -> r.subject().equals(subject) && r.version() == version) && !ids.contains(v.id())) {
                    ids.add(v.id());
                }
            }
        }
        ids.sort(Integer::compare);
        return ids;
    }

    public synchronized Optional<String> subjectConfig(String subject) {
        return Optional.ofNullable(subjectConfig.get(subject));
    }

    public synchronized Optional<String> globalConfig() {
        return Optional.ofNullable(globalConfig);
    }

    public synchronized Optional<String> subjectMode(String subject) {
        return Optional.ofNullable(subjectMode.get(subject));
    }

    public synchronized Optional<String> globalMode() {
        return Optional.ofNullable(globalMode);
    }
}
