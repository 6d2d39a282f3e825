package dev.mesh.sdk.encryption;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.errors.SerializationException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encrypts and decrypts the fields an {@link EncryptRule} covers, in Confluent's layout: a string field holds the
 * standard base64 of its ciphertext, a bytes field the ciphertext itself, each prefixed by {@code 0x00} and the key's
 * version when keys expire. Fields are found by {@code "confluent:tags"} in the schema, in nested records, unions,
 * arrays and maps; nulls stay null. A reader the registry refuses the key sees {@value #MASK} instead.
 *
 * <p>Which fields of which records to visit is worked out once per schema; a key (or a refusal) is held until
 * {@link DataKeys} says it must be asked again, so a record costs its ciphers and little more.
 */
public final class FieldEncryption {
    public static final String MASK = "***";
    private static final byte MAGIC = 0;

    private final Schema schema;
    private final EncryptRule rule;
    private final String subject;
    private final DataKeys keys;
    /** Per record schema (by identity): the fields to visit, and whether each is tagged. */
    private final Map<Schema, Visit[]> plan;
    private volatile DataKeys.Key writing;
    private final Map<Integer, Held> reading = new ConcurrentHashMap<>();

    private record Visit(int position, Schema schema, boolean tagged) {
    }

    /** A key to read with, or why there is none, until when. */
    private record Held(DataKeys.Key key, String refused, Instant until) {
    }

    private FieldEncryption(Schema schema, EncryptRule rule, String subject, DataKeys keys) {
        this.schema = schema;
        this.rule = rule;
        this.subject = subject;
        this.keys = keys;
        this.plan = new IdentityHashMap<>();
        plan(schema, rule.tags(), plan);
    }

    /** The encryption of records of {@code schema} under {@code subject}, or none when no field is tagged. */
    public static Optional<FieldEncryption> of(Schema schema, EncryptRule rule, String subject, DataKeys keys) {
        if (!covers(schema, rule.tags(), new HashSet<>())) {
            return Optional.empty();
        }
        return Optional.of(new FieldEncryption(schema, rule, subject, keys));
    }

    public EncryptRule rule() {
        return rule;
    }

    /**
     * A copy of {@code record} with its tagged fields encrypted (the caller's record is left as it was).
     *
     * @throws SerializationException when no key can be had or a tagged field is neither string nor bytes
     */
    public <T> T encrypt(T record, GenericData model) {
        DataKeys.Key key = writing;
        if (key == null || !keys.now().isBefore(key.until())) {
            try {
                key = keys.forWriting(rule, subject);
            } catch (DataKeys.KeyRefused e) {
                throw new SerializationException("cannot encrypt " + subject + " (rule " + rule.name() + "): " + e.getMessage());
            }
            writing = key;
        }
        DataKeys.Key with = key;
        Transform encrypt = (type, value) -> {
            byte[] plain = type == Schema.Type.STRING ? value.toString().getBytes(StandardCharsets.UTF_8) : bytes((ByteBuffer) value);
            byte[] sealed = prefixed(with.version(), with.cipher().encrypt(plain));
            return type == Schema.Type.STRING ? Base64.getEncoder().encodeToString(sealed) : ByteBuffer.wrap(sealed);
        };
        try {
            @SuppressWarnings("unchecked")
            T copy = (T) record(schema, (IndexedRecord) record, encrypt, model, true);
            return copy;
        } catch (GeneralSecurityException e) {
            throw new SerializationException("cannot encrypt " + subject + " (rule " + rule.name() + "): " + e.getMessage(), e);
        }
    }

    /**
     * Decrypts the record's tagged fields in place (a record just decoded); a field whose key is refused becomes
     * {@value #MASK} (a string) or keeps its ciphertext (bytes).
     *
     * @return the refusal's reason when a field was masked, else null
     */
    public String decrypt(IndexedRecord record) {
        String[] refused = new String[1];
        Transform decrypt = (type, value) -> {
            byte[] sealed = type == Schema.Type.STRING ? decodeBase64(value.toString()) : bytes((ByteBuffer) value);
            if (sealed == null) {
                return value; // not ours to decrypt: written before the product was encrypted
            }
            int version = 1;
            int offset = 0;
            if (rule.versioned()) {
                if (sealed.length < 5 || sealed[0] != MAGIC) {
                    return value;
                }
                version = ByteBuffer.wrap(sealed, 1, 4).getInt();
                offset = 5;
            }
            Held held = readingKey(version);
            if (held.refused != null) {
                refused[0] = held.refused;
                return type == Schema.Type.STRING ? MASK : value;
            }
            byte[] plain;
            try {
                plain = held.key.cipher().decrypt(offset == 0 ? sealed : java.util.Arrays.copyOfRange(sealed, offset, sealed.length));
            } catch (GeneralSecurityException e) {
                // a value written in clear before encryption began, that happens to read as base64
                return value;
            }
            return type == Schema.Type.STRING ? new String(plain, StandardCharsets.UTF_8) : ByteBuffer.wrap(plain);
        };
        try {
            record(schema, record, decrypt, null, false);
        } catch (GeneralSecurityException e) {
            throw new SerializationException("cannot decrypt " + subject + ": " + e.getMessage(), e);
        }
        return refused[0];
    }

    private Held readingKey(int version) {
        Held held = reading.get(version);
        Instant now = keys.now();
        if (held == null || !now.isBefore(held.until)) {
            try {
                DataKeys.Key key = keys.forReading(rule, subject, version);
                held = new Held(key, null, key.until());
            } catch (DataKeys.KeyRefused e) {
                held = new Held(null, e.getMessage(), e.until());
            }
            reading.put(version, held);
        }
        return held;
    }

    private interface Transform {
        Object apply(Schema.Type type, Object value) throws GeneralSecurityException;
    }

    /** The record with its planned fields transformed: a new record ({@code copy}) or the same one changed. */
    private Object record(Schema s, IndexedRecord in, Transform t, GenericData model, boolean copy)
            throws GeneralSecurityException {
        Visit[] visits = plan.get(s);
        if (visits == null) {
            return in; // a record type the plan found nothing in
        }
        IndexedRecord out = in;
        if (copy) {
            out = (IndexedRecord) model.newRecord(null, s);
            for (Schema.Field f : s.getFields()) {
                out.put(f.pos(), in.get(f.pos()));
            }
        }
        for (Visit v : visits) {
            Object value = in.get(v.position);
            Object changed = value(v.schema, value, v.tagged, t, model, copy);
            if (changed != value) {
                out.put(v.position, changed);
            }
        }
        return out;
    }

    private Object value(Schema s, Object value, boolean tagged, Transform t, GenericData model, boolean copy)
            throws GeneralSecurityException {
        if (value == null) {
            return null;
        }
        switch (s.getType()) {
            case RECORD -> {
                return record(s, (IndexedRecord) value, t, model, copy);
            }
            case UNION -> {
                int branch = GenericData.get().resolveUnion(s, value);
                return value(s.getTypes().get(branch), value, tagged, t, model, copy);
            }
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                for (Object element : (Collection<?>) value) {
                    out.add(value(s.getElementType(), element, tagged, t, model, copy));
                }
                if (!copy && value instanceof List<?> list) {
                    @SuppressWarnings("unchecked")
                    List<Object> same = (List<Object>) list;
                    for (int i = 0; i < out.size(); i++) {
                        same.set(i, out.get(i));
                    }
                    return value;
                }
                return out;
            }
            case MAP -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    out.put(e.getKey(), value(s.getValueType(), e.getValue(), tagged, t, model, copy));
                }
                return out;
            }
            case STRING, BYTES -> {
                return tagged ? t.apply(s.getType(), value) : value;
            }
            default -> {
                if (tagged) {
                    throw new GeneralSecurityException("type '" + s.getType() + "' is not supported for encryption (only string and bytes)");
                }
                return value;
            }
        }
    }

    /** Every record type reachable from {@code s}, with the fields that are tagged or hold tagged ones. */
    private static void plan(Schema s, Set<String> tags, Map<Schema, Visit[]> out) {
        switch (s.getType()) {
            case RECORD -> {
                if (out.containsKey(s)) {
                    return;
                }
                out.put(s, new Visit[0]); // recursion guard
                List<Visit> visits = new ArrayList<>();
                for (Schema.Field f : s.getFields()) {
                    boolean tagged = fieldTags(f).stream().anyMatch(tags::contains);
                    if (tagged || covers(f.schema(), tags, new HashSet<>())) {
                        visits.add(new Visit(f.pos(), f.schema(), tagged));
                    }
                    plan(f.schema(), tags, out);
                }
                out.put(s, visits.toArray(Visit[]::new));
            }
            case UNION -> s.getTypes().forEach(b -> plan(b, tags, out));
            case ARRAY -> plan(s.getElementType(), tags, out);
            case MAP -> plan(s.getValueType(), tags, out);
            default -> {
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> fieldTags(Schema.Field f) {
        Object tags = f.getObjectProp("confluent:tags");
        return tags instanceof List<?> list ? Set.copyOf((List<String>) list) : Set.of();
    }

    /** Whether any field reachable from {@code s} carries one of {@code tags}. */
    static boolean covers(Schema s, Set<String> tags, Set<String> visited) {
        return switch (s.getType()) {
            case RECORD -> visited.add(s.getFullName()) && s.getFields().stream().anyMatch(f ->
                    fieldTags(f).stream().anyMatch(tags::contains) || covers(f.schema(), tags, visited));
            case UNION -> s.getTypes().stream().anyMatch(b -> covers(b, tags, visited));
            case ARRAY -> covers(s.getElementType(), tags, visited);
            case MAP -> covers(s.getValueType(), tags, visited);
            default -> false;
        };
    }

    private byte[] prefixed(int version, byte[] ciphertext) {
        if (!rule.versioned()) {
            return ciphertext;
        }
        return ByteBuffer.allocate(5 + ciphertext.length).put(MAGIC).putInt(version).put(ciphertext).array();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static byte[] decodeBase64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
