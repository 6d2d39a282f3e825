package dev.mesh.registry.core;

import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.policy.Policy;
import dev.mesh.sdk.policy.PolicyChecker;
import dev.mesh.sdk.policy.PolicySet;
import dev.mesh.sdk.policy.PolicyViolation;
import dev.mesh.sdk.registry.Metadata;
import org.apache.avro.Schema;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The mesh's ERROR policies on what is registered: a schema whose metadata carries a product contract (as the SDK
 * registers it: {@code product}, {@code classification}, ...) is refused (422) when the contract breaks one, naming
 * the policy. Schemas without a contract, from clients that are not the mesh's, are not products and pass.
 */
public final class ContractPolicies {
    private final PolicyChecker checker;
    /** The classification of a product topic as registered, for a derived product's inputs. */
    private final Function<String, Optional<String>> classificationOf;

    public ContractPolicies(PolicySet policies, Function<String, Optional<String>> classificationOf) {
        this.checker = new PolicyChecker(policies);
        this.classificationOf = classificationOf;
    }

    /** @throws RegistryException 422 naming every ERROR policy the contract in the metadata breaks */
    public void require(String subject, Metadata metadata, dev.mesh.sdk.registry.RuleSet ruleSet, Schema schema) {
        Map<String, String> p = metadata == null || metadata.properties() == null ? Map.of() : metadata.properties();
        String product = p.get("product");
        if (product == null || !product.contains(".")) {
            return;
        }
        Map<String, Object> view = view(p);
        // PII must be encrypted by the rule registered with it, whoever registers (the SDK or another client)
        boolean encryptsPii;
        try {
            encryptsPii = dev.mesh.sdk.encryption.EncryptRule.of(ruleSet).filter(r -> r.tags().contains("PII")).isPresent();
        } catch (IllegalArgumentException e) {
            throw new RegistryException(422, 42201, "Invalid ENCRYPT rule: " + e.getMessage());
        }
        view.put("encryptsPii", encryptsPii);
        view.put("rulesThatDoNotTravel", rulesThatDoNotTravel(ruleSet, schema));
        List<PolicyViolation> errors = checker.check(subject, view, schema, product.substring(0, product.indexOf('.')))
                .stream().filter(v -> v.severity() == Policy.Severity.ERROR).toList();
        if (!errors.isEmpty()) {
            throw new RegistryException(422, 42201, "The contract of " + product + " breaks the mesh's policies: "
                    + String.join("; ", errors.stream().map(v -> "[" + v.policy() + "] "
                    + (v.field().isEmpty() ? "" : "field '" + v.field() + "': ") + v.message()).toList()));
        }
    }

    /** Registered CEL rules a Confluent executor would not evaluate as the mesh does, as the policy names them. */
    private static List<String> rulesThatDoNotTravel(dev.mesh.sdk.registry.RuleSet ruleSet, Schema schema) {
        if (ruleSet == null || ruleSet.domainRules() == null) {
            return List.of();
        }
        return ruleSet.domainRules().stream().filter(r -> "CEL".equals(r.type()) && r.expr() != null)
                .map(r -> Map.entry(String.valueOf(r.name()), dev.mesh.sdk.policy.PolicyChecker.unportable(r.expr(), schema)))
                .filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")").toList();
    }

    private Map<String, Object> view(Map<String, String> p) {
        String product = p.get("product");
        int dot = product.indexOf('.');
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("product", product);
        m.put("domain", product.substring(0, dot));
        m.put("name", product.substring(dot + 1));
        m.put("version", p.getOrDefault("version", ""));
        m.put("description", p.getOrDefault("description", ""));
        m.put("owner", Map.of("team", p.getOrDefault("owner", ""), "contact", p.getOrDefault("owner.contact", "")));
        String classification = p.getOrDefault("classification", "internal");
        m.put("classification", classification);
        m.put("classificationRank", PolicyChecker.rank(classification));
        m.put("classificationReason", p.getOrDefault("classification.reason", ""));
        m.put("tags", list(p.get("tags")));
        List<String> inputs = list(p.get("inputs"));
        m.put("derived", !inputs.isEmpty());
        m.put("inputs", inputs);
        m.put("inputsMaxRank", inputs.stream().map(classificationOf).flatMap(Optional::stream)
                .mapToLong(PolicyChecker::rank).max().orElse(-1));
        m.put("slo", Map.of("freshness", p.getOrDefault("slo.freshness", "")));
        m.put("cleanup", p.getOrDefault("cleanup.policy", "delete"));
        m.put("retentionDays", Optional.ofNullable(p.get("retention")).flatMap(ContractPolicies::duration)
                .map(Duration::toDays).orElse(-1L));
        return m;
    }

    private static Optional<Duration> duration(String text) {
        try {
            return Optional.of(Duration.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static List<String> list(String text) {
        return text == null || text.isBlank() ? List.of() : Arrays.stream(text.split(",")).map(String::trim).toList();
    }

    /** The subject a product topic's schema is registered under. */
    static String subjectOf(String topic) {
        return Naming.valueSubject(topic);
    }
}
