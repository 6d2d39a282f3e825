package dev.mesh.registry.dek;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.registry.store.SchemaLog;
import dev.mesh.registry.store.StoreRecord;
import dev.mesh.sdk.registry.Dek;
import dev.mesh.sdk.registry.Kek;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The DEK Registry's keys as replayed from {@code _dek_registry_keys}: KEKs by name, DEKs by KEK, subject, algorithm
 * and version. Record keys are JSON ({@code {"type":"KEK","name":...}}, {@code {"type":"DEK",...}}), values the
 * entity without key material, a null value a permanent delete.
 */
public final class DekState implements SchemaLog.State {
    private static final Logger log = LoggerFactory.getLogger(DekState.class);
    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** A DEK's identity. */
    record DekId(String kekName, String subject, String algorithm, int version) {
        static final Comparator<DekId> ORDER = Comparator.comparing(DekId::kekName).thenComparing(DekId::subject)
                .thenComparing(DekId::algorithm).thenComparingInt(DekId::version);
    }

    private final Map<String, Kek> keks = new TreeMap<>();
    private final Map<DekId, Dek> deks = new TreeMap<>(DekId.ORDER);

    @Override
    public synchronized void apply(String key, String value) {
        try {
            JsonNode k = JSON.readTree(key);
            switch (k.path("type").asText()) {
                case "KEK" -> {
                    String name = k.path("name").asText();
                    if (value == null) {
                        keks.remove(name);
                    } else {
                        keks.put(name, JSON.readValue(value, Kek.class));
                    }
                }
                case "DEK" -> {
                    DekId id = new DekId(k.path("kekName").asText(), k.path("subject").asText(),
                            k.path("algorithm").asText(), k.path("version").asInt());
                    if (value == null) {
                        deks.remove(id);
                    } else {
                        deks.put(id, JSON.readValue(value, Dek.class));
                    }
                }
                default -> log.warn("skipping a record of unknown type in the DEK registry's log: {}", key);
            }
        } catch (Exception e) {
            log.warn("skipping an unreadable record of the DEK registry's log ({}): {}", key, e.getMessage());
        }
    }

    @Override
    public synchronized String summary() {
        return keks.size() + " KEKs, " + deks.size() + " DEKs";
    }

    synchronized Optional<Kek> kek(String name) {
        return Optional.ofNullable(keks.get(name));
    }

    synchronized List<Kek> keks() {
        return new ArrayList<>(keks.values());
    }

    synchronized Optional<Dek> dek(DekId id) {
        return Optional.ofNullable(deks.get(id));
    }

    synchronized List<Dek> deks() {
        return new ArrayList<>(deks.values());
    }

    synchronized int size() {
        return keks.size() + deks.size();
    }

    /** KEKs named {@code <prefix>...} and the DEKs under them: one domain's keys. */
    synchronized int sizeUnder(String prefix) {
        return (int) (keks.keySet().stream().filter(k -> k.startsWith(prefix)).count()
                + deks.keySet().stream().filter(d -> d.kekName().startsWith(prefix)).count());
    }

    static StoreRecord record(Kek kek) {
        return new StoreRecord(json(Map.of("type", "KEK", "name", kek.name())), json(kek));
    }

    static StoreRecord tombstone(Kek kek) {
        return new StoreRecord(json(Map.of("type", "KEK", "name", kek.name())), null);
    }

    static StoreRecord record(Dek dek) {
        return new StoreRecord(key(dek), json(dek.withKeyMaterial(null)));
    }

    static StoreRecord tombstone(Dek dek) {
        return new StoreRecord(key(dek), null);
    }

    private static String key(Dek dek) {
        Map<String, Object> k = new java.util.LinkedHashMap<>();
        k.put("type", "DEK");
        k.put("kekName", dek.kekName());
        k.put("subject", dek.subject());
        k.put("algorithm", dek.algorithm());
        k.put("version", dek.version());
        return json(k);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
