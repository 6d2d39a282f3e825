package dev.mesh.sdk.encryption;

import dev.mesh.sdk.registry.Dek;
import dev.mesh.sdk.registry.Kek;
import dev.mesh.sdk.registry.RegistryClient;
import dev.mesh.sdk.registry.SchemaRegistryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The data keys a client encrypts and decrypts with, from the DEK Registry, as the client's principal: the registry
 * releases a key only to whom the mesh lets see the product's PII. A key, or a refusal, is kept for at most
 * {@code ttl} ({@value #TTL}, default 60 s), so a revoked grant stops decrypting within that bound.
 */
public final class DataKeys {
    private static final Logger log = LoggerFactory.getLogger(DataKeys.class);
    /** How long a data key (or a refusal) is kept before the registry is asked again. */
    public static final String TTL = "mesh.encryption.key-ttl";
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

    private final RegistryClient registry;
    private final Map<String, String> kmsConfig;
    private final Duration ttl;
    private final Supplier<Instant> clock;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Map<String, Boolean> refusalLogged = new ConcurrentHashMap<>();

    /** A data key to use, with its version, until the registry must be asked again. */
    public record Key(int version, FieldCipher cipher, Instant until) {
    }

    /** Why a key was not given: the registry's answer, e.g. the principal holds no PII grant. */
    public static final class KeyRefused extends Exception {
        private final Instant until;

        public KeyRefused(String reason) {
            this(reason, Instant.MIN);
        }

        KeyRefused(String reason, Instant until) {
            super(reason);
            this.until = until;
        }

        /** Until when the refusal stands before the registry is asked again. */
        public Instant until() {
            return until;
        }
    }

    private record Held(Key key, KeyRefused refused, Instant until, long ts) {
    }

    /**
     * @param kmsConfig settings for KMS drivers unwrapping keys of non-shared KEKs (e.g. {@code secret})
     */
    public DataKeys(RegistryClient registry, Map<String, String> kmsConfig, Duration ttl, Supplier<Instant> clock) {
        this.registry = registry;
        this.kmsConfig = Map.copyOf(kmsConfig);
        this.ttl = ttl;
        this.clock = clock;
    }

    /** From a client's settings: {@value #TTL} (ISO or seconds) and {@code rule.executors.*.param.secret}. */
    public static DataKeys of(RegistryClient registry, Map<String, ?> configs, Supplier<Instant> clock) {
        Map<String, String> kms = new HashMap<>();
        configs.forEach((k, v) -> {
            if (k.startsWith("rule.executors.") && k.contains(".param.") && v != null) {
                kms.put(k.substring(k.indexOf(".param.") + ".param.".length()), v.toString());
            }
        });
        Object ttl = configs.get(TTL);
        Duration keep;
        try {
            keep = ttl == null ? DEFAULT_TTL
                    : ttl.toString().startsWith("P") ? Duration.parse(ttl.toString()) : Duration.ofSeconds(Long.parseLong(ttl.toString()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(TTL + " must be seconds or an ISO-8601 duration (PT1M), was '" + ttl + "'", e);
        }
        if (keep.isNegative()) {
            throw new IllegalArgumentException(TTL + " must not be negative, was '" + ttl + "'");
        }
        return new DataKeys(registry, kms, keep, clock);
    }

    /** The clock keys expire by. */
    public Instant now() {
        return clock.get();
    }

    /** The key to encrypt with: the latest version, made when there is none or (with expiry) it expired. */
    public Key forWriting(EncryptRule rule, String subject) throws KeyRefused {
        String cacheKey = rule.kekName() + "/" + subject + "/" + rule.algorithm() + "/write";
        Instant now = clock.get();
        Held h = held.get(cacheKey);
        if (h != null && now.isBefore(h.until)) {
            return h.key;
        }
        Dek dek;
        try {
            dek = find(rule, subject, rule.versioned() ? "latest" : "1", false);
            if (dek == null) {
                ensureKek(rule);
                dek = create(rule, subject, 1);
            } else if (dek.ts() != null && expired(rule, dek.ts(), now)) {
                dek = create(rule, subject, dek.version() + 1);
            }
            long ts = dek.ts() == null ? 0 : dek.ts();
            Instant until = now.plus(ttl);
            if (rule.versioned() && ts > 0) {
                Instant expires = Instant.ofEpochMilli(ts).plus(java.time.Duration.ofDays(rule.expiryDays()));
                until = expires.isBefore(until) ? expires : until;
            }
            Key key = new Key(dek.version(), cipher(rule, dek), until);
            held.put(cacheKey, new Held(key, null, until, ts));
            return key;
        } catch (SchemaRegistryException e) {
            if (e.status() == 404 && e.errorCode() != 40470) {
                throw new KeyRefused("no data key for " + subject + ": the registry has no DEK Registry (Confluent's"
                        + " /dek-registry/v1), so PII cannot be encrypted and is not published: " + e.getMessage());
            }
            throw new KeyRefused("no data key for " + subject + ": " + e.getMessage());
        }
    }

    /** The key of {@code version} to decrypt with, or why it is refused (kept for the TTL too). */
    public Key forReading(EncryptRule rule, String subject, int version) throws KeyRefused {
        String cacheKey = rule.kekName() + "/" + subject + "/" + rule.algorithm() + "/" + version;
        Instant now = clock.get();
        Held h = held.get(cacheKey);
        if (h == null || !now.isBefore(h.until)) {
            h = fetch(rule, subject, version, now);
            held.put(cacheKey, h);
        }
        if (h.refused != null) {
            if (refusalLogged.putIfAbsent(cacheKey, true) == null) {
                log.warn("encrypted fields of {} are shown as ***: {}", subject, h.refused.getMessage());
            }
            throw new KeyRefused(h.refused.getMessage(), h.until);
        }
        refusalLogged.remove(cacheKey);
        return h.key;
    }

    private Held fetch(EncryptRule rule, String subject, int version, Instant now) {
        try {
            Dek dek = find(rule, subject, Integer.toString(version), true);
            if (dek == null) {
                return new Held(null, new KeyRefused("no data key version " + version + " of " + subject + " under KEK "
                        + rule.kekName()), now.plus(ttl), 0);
            }
            return new Held(new Key(dek.version(), cipher(rule, dek), now.plus(ttl)), null, now.plus(ttl), 0);
        } catch (SchemaRegistryException e) {
            return new Held(null, new KeyRefused(e.status() == 403 ? e.getMessage().replaceFirst("^.*? failed: ", "").replaceFirst("^Forbidden: ", "")
                    : "the DEK registry did not give the key of " + subject + ": " + e.getMessage()), now.plus(ttl), 0);
        } catch (KeyRefused e) {
            return new Held(null, e, now.plus(ttl), 0);
        }
    }

    private Dek find(EncryptRule rule, String subject, String version, boolean deleted) {
        try {
            Dek dek = registry.dek(rule.kekName(), subject, version, rule.algorithm().name(), deleted);
            return dek.encryptedKeyMaterial() == null && dek.keyMaterial() == null ? null : dek;
        } catch (SchemaRegistryException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** The mesh's KEKs are shared: the registry makes and wraps data keys, and unwraps them for whom it may. */
    private void ensureKek(EncryptRule rule) {
        try {
            registry.kek(rule.kekName());
        } catch (SchemaRegistryException e) {
            if (e.status() != 404) {
                throw e;
            }
            try {
                registry.createKek(new Kek(rule.kekName(), rule.kmsType() == null ? LocalKms.TYPE : rule.kmsType(),
                        rule.kmsKeyId() == null ? rule.kekName() : rule.kmsKeyId(), Map.of(),
                        "made by the mesh for rule " + rule.name(), true, null, null));
            } catch (SchemaRegistryException conflict) {
                if (!exists(conflict)) {
                    throw conflict;
                }
            }
        }
    }

    private Dek create(EncryptRule rule, String subject, int version) {
        try {
            return registry.createDek(rule.kekName(), new Dek(null, subject, version, rule.algorithm().name(),
                    null, null, null, null));
        } catch (SchemaRegistryException e) {
            if (!exists(e)) {
                throw e;
            }
            return find(rule, subject, Integer.toString(version), false);
        }
    }

    /** Another writer made it first (Confluent's 40971); not 40972, the registry holding as many keys as it may. */
    private static boolean exists(SchemaRegistryException e) {
        return e.status() == 409 && e.errorCode() != 40972;
    }

    private boolean expired(EncryptRule rule, long ts, Instant now) {
        return rule.versioned() && ts > 0 && (now.toEpochMilli() - ts) / 86_400_000L >= rule.expiryDays();
    }

    private FieldCipher cipher(EncryptRule rule, Dek dek) throws KeyRefused {
        try {
            byte[] proto;
            if (dek.keyMaterial() != null) {
                proto = Base64.getDecoder().decode(dek.keyMaterial());
            } else {
                Kek kek = registry.kek(rule.kekName());
                Map<String, String> config = new HashMap<>(kmsConfig);
                if (kek.kmsProps() != null) {
                    config.putAll(kek.kmsProps());
                }
                proto = KmsDrivers.of(kek.kmsType()).kek(kek.kmsKeyId(), config)
                        .decrypt(Base64.getDecoder().decode(dek.encryptedKeyMaterial()), new byte[0]);
            }
            DekAlgorithm algorithm = DekAlgorithm.parse(dek.algorithm()).orElse(rule.algorithm());
            return algorithm.cipher(proto);
        } catch (GeneralSecurityException | IllegalArgumentException | SchemaRegistryException e) {
            throw new KeyRefused("cannot use the data key of " + dek.subject() + " v" + dek.version() + ": " + e.getMessage());
        }
    }
}
