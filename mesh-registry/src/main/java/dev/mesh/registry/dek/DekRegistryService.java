package dev.mesh.registry.dek;

import dev.mesh.registry.core.RegistryException;
import dev.mesh.registry.store.SchemaLog;
import dev.mesh.registry.store.StoreRecord;
import dev.mesh.sdk.encryption.DekAlgorithm;
import dev.mesh.sdk.encryption.KmsDrivers;
import dev.mesh.sdk.registry.Dek;
import dev.mesh.sdk.registry.Kek;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Confluent's DEK Registry: KEKs (where a key-encryption key lives) and the data keys wrapped by them, with its
 * validation, 404/409/422 answers and error codes. Writes go through the elected leader's log; a shared KEK's data
 * keys are made and wrapped here and unwrapped for the callers the routes let through.
 */
public final class DekRegistryService implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final int MAX_NAME = 256;

    private final DekState state;
    private final SchemaLog<DekState> log;
    private final Map<String, String> kmsConfig;
    private final int maxKeys;
    private final Clock clock;

    /** A KEK as PUT changes it: absent fields keep their value. */
    public record KekUpdate(Map<String, String> kmsProps, String doc, Boolean shared) {
    }

    public DekRegistryService(DekState state, SchemaLog<DekState> log, Map<String, String> kmsConfig, int maxKeys, Clock clock) {
        this.state = state;
        this.log = log;
        this.kmsConfig = Map.copyOf(kmsConfig);
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    @Override
    public void close() {
        log.close();
    }

    // ---- KEKs -------------------------------------------------------------------------------------------------

    public List<String> keks(Collection<String> subjectPrefixes, boolean deleted) {
        if (subjectPrefixes != null && !subjectPrefixes.isEmpty()) {
            return new ArrayList<>(new TreeSet<>(state.deks().stream().filter(d -> deleted || !d.softDeleted())
                    .filter(d -> subjectPrefixes.stream().anyMatch(p -> d.subject().startsWith(p)))
                    .map(Dek::kekName).toList()));
        }
        return state.keks().stream().filter(k -> deleted || !k.softDeleted()).map(Kek::name).toList();
    }

    public Kek kek(String name, boolean deleted) {
        checkName(name);
        return state.kek(name).filter(k -> deleted || !k.softDeleted()).orElseThrow(() -> notFound(name));
    }

    public Kek createKek(Kek request) {
        if (request.name() == null) {
            throw invalid("name");
        }
        checkName(request.name());
        if (request.kmsType() == null || request.kmsType().isBlank()) {
            throw invalid("kmsType");
        }
        if (request.kmsKeyId() == null || request.kmsKeyId().isBlank()) {
            throw invalid("kmsKeyId");
        }
        String kmsType = normalized(request.kmsType());
        checkKeyId(kmsType, request.kmsKeyId());
        Kek wanted = new Kek(request.name(), kmsType, request.kmsKeyId(),
                request.kmsProps() == null ? Map.of() : new TreeMap<>(request.kmsProps()), request.doc(),
                request.sharing(), clock.millis(), request.softDeleted() ? true : null);
        return log.write(s -> {
            var existing = s.kek(request.name());
            if (existing.isPresent()) {
                Kek old = existing.get();
                boolean same = old.kmsType().equals(wanted.kmsType()) && old.kmsKeyId().equals(wanted.kmsKeyId())
                        && Objects.equals(old.kmsProps(), wanted.kmsProps()) && Objects.equals(old.doc(), wanted.doc())
                        && old.sharing() == wanted.sharing();
                if (same && old.softDeleted() != wanted.softDeleted()) {
                    return new SchemaLog.Write<>(List.of(DekState.record(wanted)), wanted); // the create undeletes
                }
                if (same) {
                    return SchemaLog.Write.nothing(old);
                }
                throw exists(request.name());
            }
            checkCapacity(s, wanted.name());
            return new SchemaLog.Write<>(List.of(DekState.record(wanted)), wanted);
        });
    }

    public Kek updateKek(String name, KekUpdate update) {
        checkName(name);
        return log.write(s -> {
            Kek old = s.kek(name).filter(k -> !k.softDeleted()).orElseThrow(() -> notFound(name));
            Kek changed = new Kek(name, old.kmsType(), old.kmsKeyId(),
                    update.kmsProps() == null ? old.kmsProps() : new TreeMap<>(update.kmsProps()),
                    update.doc() == null ? old.doc() : update.doc(),
                    update.shared() == null ? old.shared() : update.shared(), clock.millis(), null);
            if (Objects.equals(changed.kmsProps(), old.kmsProps()) && Objects.equals(changed.doc(), old.doc())
                    && changed.sharing() == old.sharing()) {
                return SchemaLog.Write.nothing(old);
            }
            return new SchemaLog.Write<>(List.of(DekState.record(changed)), changed);
        });
    }

    public void deleteKek(String name, boolean permanent) {
        checkName(name);
        log.write(s -> {
            Kek kek = s.kek(name).orElseThrow(() -> notFound(name));
            List<Dek> deks = s.deks().stream().filter(d -> d.kekName().equals(name)).toList();
            if (permanent) {
                if (!kek.softDeleted()) {
                    throw new RegistryException(404, 40471, "Key '" + name + "' was not deleted first before being permanently deleted");
                }
                if (!deks.isEmpty()) {
                    throw references(name);
                }
                return new SchemaLog.Write<>(List.of(DekState.tombstone(kek)), null);
            }
            if (deks.stream().anyMatch(d -> !d.softDeleted())) {
                throw references(name);
            }
            if (kek.softDeleted()) {
                return SchemaLog.Write.nothing(null);
            }
            return new SchemaLog.Write<>(List.of(DekState.record(withDeleted(kek, true))), null);
        });
    }

    public void undeleteKek(String name) {
        checkName(name);
        log.write(s -> {
            Kek kek = s.kek(name).orElseThrow(() -> notFound(name));
            return kek.softDeleted() ? new SchemaLog.Write<>(List.of(DekState.record(withDeleted(kek, false))), null)
                    : SchemaLog.Write.nothing(null);
        });
    }

    // ---- DEKs -------------------------------------------------------------------------------------------------

    public List<String> dekSubjects(String kek, boolean deleted) {
        kek(kek, true);
        return new ArrayList<>(new TreeSet<>(state.deks().stream().filter(d -> d.kekName().equals(kek))
                .filter(d -> deleted || !d.softDeleted()).map(Dek::subject).toList()));
    }

    public List<Integer> dekVersions(String kek, String subject, String algorithm, boolean deleted) {
        checkSubject(subject);
        String alg = algorithm(algorithm).name();
        kek(kek, true);
        return state.deks().stream().filter(d -> d.kekName().equals(kek) && d.subject().equals(subject)
                && d.algorithm().equals(alg) && (deleted || !d.softDeleted())).map(Dek::version).sorted().toList();
    }

    /** {@code version}: a number from 1, {@code latest} or {@code -1}; with key material when the KEK is shared. */
    public Dek dek(String kekName, String subject, String version, String algorithm, boolean deleted) {
        checkSubject(subject);
        DekAlgorithm alg = algorithm(algorithm);
        int v = version(version);
        Kek kek = kek(kekName, true);
        Dek dek;
        if (v == -1) {
            dek = state.deks().stream().filter(d -> d.kekName().equals(kekName) && d.subject().equals(subject)
                            && d.algorithm().equals(alg.name()) && (deleted || !d.softDeleted()))
                    .max(java.util.Comparator.comparingInt(Dek::version)).orElseThrow(() -> notFound(subject));
        } else {
            dek = state.dek(new DekState.DekId(kekName, subject, alg.name(), v)).filter(d -> deleted || !d.softDeleted())
                    .orElseThrow(() -> notFound(subject));
        }
        return kek.sharing() ? dek.withKeyMaterial(unwrap(kek, dek)) : dek;
    }

    public Dek createDek(String kekName, String subject, Dek request) {
        checkSubject(subject);
        DekAlgorithm alg = algorithm(request.algorithm());
        int version = request.version() == null ? 1 : request.version();
        if (version < 1) {
            throw invalid("version");
        }
        byte[] given = null;
        if (request.encryptedKeyMaterial() != null) {
            try {
                given = Base64.getDecoder().decode(request.encryptedKeyMaterial());
            } catch (IllegalArgumentException e) {
                throw invalid("encryptedKeyMaterial");
            }
            if (given.length == 0 || given.length > 1024) {
                throw invalid("encryptedKeyMaterial");
            }
        }
        byte[] wrapped = given;
        String[] raw = new String[1];
        Dek stored = log.write(s -> {
            Kek kek = s.kek(kekName).filter(k -> k.softDeleted() == request.softDeleted()).orElseThrow(() -> notFound(kekName));
            checkCapacity(s, kekName);
            if (s.dek(new DekState.DekId(kekName, subject, alg.name(), version)).isPresent()) {
                throw exists(subject);
            }
            String material;
            if (wrapped != null && kek.sharing()) {
                // the registry unwraps a shared KEK's keys for whoever may read them: material brought in would make it
                // unwrap anything wrapped under the same KMS key (all local-kms KEKs of one secret) for its bringer
                throw new RegistryException(422, 42271, "Invalid value for field 'encryptedKeyMaterial' of key: KEK " + kekName
                        + " is shared, so the registry makes its keys; send none");
            }
            if (wrapped != null) {
                material = Base64.getEncoder().encodeToString(wrapped);
            } else if (kek.sharing()) {
                byte[] key = alg.generateKey();
                raw[0] = Base64.getEncoder().encodeToString(key);
                material = Base64.getEncoder().encodeToString(wrap(kek, key, subject));
            } else {
                throw invalid("encryptedKeyMaterial");
            }
            Dek dek = new Dek(kekName, subject, version, alg.name(), material, null, clock.millis(),
                    request.softDeleted() ? true : null);
            return new SchemaLog.Write<>(List.of(DekState.record(dek)), dek);
        });
        return raw[0] == null ? stored : stored.withKeyMaterial(raw[0]);
    }

    /** Deletes one version, or every version when {@code version} is null. */
    public void deleteDek(String kekName, String subject, String version, String algorithm, boolean permanent) {
        checkSubject(subject);
        DekAlgorithm alg = algorithm(algorithm);
        Integer v = version == null ? null : version(version);
        kek(kekName, true);
        log.write(s -> {
            List<Dek> matching = matching(s, kekName, subject, alg, v);
            if (matching.isEmpty()) {
                throw notFound(subject);
            }
            List<StoreRecord> records = new ArrayList<>();
            for (Dek d : matching) {
                if (permanent) {
                    if (!d.softDeleted()) {
                        throw new RegistryException(404, 40471, "Key '" + subject + "' was not deleted first before being permanently deleted");
                    }
                    records.add(DekState.tombstone(d));
                } else if (!d.softDeleted()) {
                    records.add(DekState.record(withDeleted(d, true)));
                }
            }
            return new SchemaLog.Write<>(records, null);
        });
    }

    public void undeleteDek(String kekName, String subject, String version, String algorithm) {
        checkSubject(subject);
        DekAlgorithm alg = algorithm(algorithm);
        Integer v = version == null ? null : version(version);
        log.write(s -> {
            Kek kek = s.kek(kekName).orElseThrow(() -> notFound(kekName));
            if (kek.softDeleted()) {
                throw new RegistryException(404, 40472, "Key '" + kekName + "' must be undeleted first");
            }
            List<Dek> matching = matching(s, kekName, subject, alg, v);
            if (matching.isEmpty()) {
                throw notFound(subject);
            }
            return new SchemaLog.Write<>(matching.stream().filter(Dek::softDeleted)
                    .map(d -> DekState.record(withDeleted(d, false))).toList(), null);
        });
    }

    private static List<Dek> matching(DekState s, String kekName, String subject, DekAlgorithm alg, Integer version) {
        return s.deks().stream().filter(d -> d.kekName().equals(kekName) && d.subject().equals(subject)
                && d.algorithm().equals(alg.name()) && (version == null || version == -1 ? true : d.version().equals(version)))
                .toList();
    }

    // ---- keys -------------------------------------------------------------------------------------------------

    private byte[] wrap(Kek kek, byte[] key, String subject) {
        try {
            return KmsDrivers.of(kek.kmsType()).kek(kek.kmsKeyId(), config(kek)).encrypt(key, new byte[0]);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new RegistryException(500, 50070, "Could not generate encrypted dek for " + subject + ": " + e.getMessage());
        }
    }

    private String unwrap(Kek kek, Dek dek) {
        try {
            byte[] key = KmsDrivers.of(kek.kmsType()).kek(kek.kmsKeyId(), config(kek))
                    .decrypt(Base64.getDecoder().decode(dek.encryptedKeyMaterial()), new byte[0]);
            return Base64.getEncoder().encodeToString(key);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new RegistryException(500, 50070, "Could not generate raw dek for " + dek.subject() + ": " + e.getMessage());
        }
    }

    private Map<String, String> config(Kek kek) {
        Map<String, String> config = new HashMap<>(kmsConfig);
        if (kek.kmsProps() != null) {
            config.putAll(kek.kmsProps());
        }
        return config;
    }

    // ---- validation and answers ---------------------------------------------------------------------------------

    private void checkCapacity(DekState s, String kekName) {
        if (s.size() >= maxKeys) {
            throw new RegistryException(409, 40972, "A maximum of " + maxKeys + " keys already exist");
        }
        // a domain's KEKs are named '<domain>-...': no domain may take the whole registry's keys from the others
        int dash = kekName.indexOf('-');
        int perDomain = Math.max(1, maxKeys / 20);
        if (dash > 0 && s.sizeUnder(kekName.substring(0, dash + 1)) >= perDomain) {
            throw new RegistryException(409, 40972, "A maximum of " + perDomain + " keys already exist under the KEKs of "
                    + kekName.substring(0, dash) + " (a twentieth of registry.dek-max-keys)");
        }
    }

    static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            throw invalid("name");
        }
    }

    static void checkSubject(String subject) {
        if (subject == null || subject.isEmpty() || subject.chars().anyMatch(Character::isISOControl)) {
            throw invalid("subject");
        }
    }

    private static DekAlgorithm algorithm(String name) {
        if (name == null || name.isEmpty()) {
            return DekAlgorithm.AES256_GCM;
        }
        return DekAlgorithm.parse(name).orElseThrow(() -> invalid("algorithm"));
    }

    private static int version(String version) {
        if (version == null || version.equals("latest") || version.equals("-1")) {
            return -1;
        }
        try {
            int v = Integer.parseInt(version);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new RegistryException(422, 42202, "The specified version '" + version + "' is not a valid version id. "
                + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    private static String normalized(String kmsType) {
        String t = kmsType.toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("aws")) {
            return "aws-kms";
        }
        if (t.startsWith("azure")) {
            return "azure-kms";
        }
        if (t.startsWith("gcp")) {
            return "gcp-kms";
        }
        return kmsType;
    }

    private static void checkKeyId(String kmsType, String keyId) {
        boolean ok = switch (kmsType) {
            case "aws-kms" -> keyId.startsWith("arn:aws:kms:");
            case "azure-kms" -> keyId.startsWith("https://");
            case "gcp-kms" -> keyId.startsWith("projects/");
            case "hcvault" -> keyId.startsWith("http://") || keyId.startsWith("https://");
            default -> true;
        };
        if (!ok) {
            throw invalid("kmsKeyId");
        }
    }

    private static Kek withDeleted(Kek k, boolean deleted) {
        return new Kek(k.name(), k.kmsType(), k.kmsKeyId(), k.kmsProps(), k.doc(), k.shared(), k.ts(), deleted ? true : null);
    }

    private static Dek withDeleted(Dek d, boolean deleted) {
        return new Dek(d.kekName(), d.subject(), d.version(), d.algorithm(), d.encryptedKeyMaterial(), null, d.ts(),
                deleted ? true : null);
    }

    static RegistryException invalid(String field) {
        return new RegistryException(422, 42271, "Invalid or missing value for field '" + field + "' of key");
    }

    private static RegistryException notFound(String what) {
        return new RegistryException(404, 40470, "Key '" + what + "' not found");
    }

    private static RegistryException exists(String what) {
        return new RegistryException(409, 40971, "Key '" + what + "' already exists; use a different value");
    }

    private static RegistryException references(String name) {
        return new RegistryException(422, 42272, "One or more references exist to the key '" + name + "'");
    }
}
