package dev.mesh.sdk.encryption;

import dev.mesh.sdk.registry.Rule;
import dev.mesh.sdk.registry.RuleSet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Confluent {@code ENCRYPT} rule (kind TRANSFORM, mode WRITEREAD): fields carrying one of {@code tags} are encrypted
 * with a data key of algorithm {@code algorithm} under KEK {@code kekName}; with {@code expiryDays} > 0 the key is
 * rotated after that many days and each ciphertext is prefixed with its key's version.
 */
public record EncryptRule(String name, String kekName, String kmsType, String kmsKeyId, DekAlgorithm algorithm,
                          int expiryDays, Set<String> tags) {
    public static final String TYPE = "ENCRYPT";
    public static final String KEK_NAME = "encrypt.kek.name";
    public static final String KMS_TYPE = "encrypt.kms.type";
    public static final String KMS_KEY_ID = "encrypt.kms.key.id";
    public static final String ALGORITHM = "encrypt.dek.algorithm";
    public static final String EXPIRY_DAYS = "encrypt.dek.expiry.days";
    /** A writer that cannot encrypt fails; a reader without the key keeps the ciphertext (ours show {@code ***}). */
    public static final String ON_FAILURE = "ERROR,NONE";

    /** The mesh's rule for a domain's PII: the domain's KEK in the local KMS, unless a contract says otherwise. */
    public static EncryptRule pii(String domain, DekAlgorithm algorithm, int expiryDays) {
        String kek = domain + "-pii";
        return new EncryptRule("encrypt-pii", kek, LocalKms.TYPE, kek, algorithm, expiryDays, Set.of("PII"));
    }

    /**
     * The rule a product's contract implies: its PII-tagged fields encrypted under its domain's KEK, with the
     * algorithm and expiry its schema may name at the top ({@code "encrypt.dek.algorithm": "AES256_SIV"} for fields
     * that must stay joinable, {@code "encrypt.dek.expiry.days": 30} for rotation); none without PII.
     */
    public static Optional<EncryptRule> forContract(dev.mesh.sdk.contract.ProductContract contract) {
        org.apache.avro.Schema schema = contract.schema();
        if (!FieldEncryption.covers(schema, Set.of("PII"), new java.util.HashSet<>())) {
            return Optional.empty();
        }
        String algorithm = schema.getProp(ALGORITHM);
        Object expiry = schema.getObjectProp(EXPIRY_DAYS);
        Map<String, String> params = new LinkedHashMap<>();
        EncryptRule base = pii(contract.product().domain(), DekAlgorithm.AES256_GCM, 0);
        params.put(KEK_NAME, base.kekName());
        params.put(KMS_TYPE, base.kmsType());
        params.put(KMS_KEY_ID, base.kmsKeyId());
        if (algorithm != null) {
            params.put(ALGORITHM, algorithm);
        }
        if (expiry != null) {
            params.put(EXPIRY_DAYS, expiry.toString());
        }
        return Optional.of(from(new Rule(base.name(), null, "TRANSFORM", "WRITEREAD", TYPE, Set.of("PII"), params,
                null, null, ON_FAILURE, false)));
    }

    /** The first enabled ENCRYPT rule of a registered rule set, if any. */
    public static Optional<EncryptRule> of(RuleSet ruleSet) {
        if (ruleSet == null || ruleSet.domainRules() == null) {
            return Optional.empty();
        }
        return ruleSet.domainRules().stream()
                .filter(r -> TYPE.equals(r.type()) && !Boolean.TRUE.equals(r.disabled()))
                .findFirst().map(EncryptRule::from);
    }

    private static EncryptRule from(Rule rule) {
        Map<String, String> p = rule.params() == null ? Map.of() : rule.params();
        String kek = p.get(KEK_NAME);
        if (kek == null || kek.isBlank()) {
            throw new IllegalArgumentException("rule " + rule.name() + " has no " + KEK_NAME);
        }
        String algorithm = p.getOrDefault(ALGORITHM, DekAlgorithm.AES256_GCM.name());
        DekAlgorithm parsed = DekAlgorithm.parse(algorithm).orElseThrow(() -> new IllegalArgumentException(
                "rule " + rule.name() + ": " + ALGORITHM + " '" + algorithm + "' is none of AES128_GCM, AES256_GCM, AES256_SIV"));
        int expiry;
        try {
            expiry = Integer.parseInt(p.getOrDefault(EXPIRY_DAYS, "0"));
        } catch (NumberFormatException e) {
            expiry = -1;
        }
        if (expiry < 0) {
            throw new IllegalArgumentException("rule " + rule.name() + ": " + EXPIRY_DAYS + " must be a whole number >= 0");
        }
        return new EncryptRule(rule.name(), kek, p.get(KMS_TYPE), p.get(KMS_KEY_ID), parsed, expiry,
                rule.tags() == null ? Set.of() : Set.copyOf(rule.tags()));
    }

    /** Whether ciphertexts carry the key version: only when keys expire, as Confluent's executors decide. */
    public boolean versioned() {
        return expiryDays > 0;
    }

    /** The rule in the registry's rule set. */
    public Rule toRegistry() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put(KEK_NAME, kekName);
        if (kmsType != null) {
            params.put(KMS_TYPE, kmsType);
        }
        if (kmsKeyId != null) {
            params.put(KMS_KEY_ID, kmsKeyId);
        }
        params.put(ALGORITHM, algorithm.name());
        if (expiryDays > 0) {
            params.put(EXPIRY_DAYS, Integer.toString(expiryDays));
        }
        return new Rule(name, "Fields tagged " + String.join(", ", new java.util.TreeSet<>(tags))
                + " are encrypted in the topic; their key is released to the owner, admins and PII grants.",
                "TRANSFORM", "WRITEREAD", TYPE, new java.util.TreeSet<>(tags), params, null, null, ON_FAILURE, false);
    }
}
