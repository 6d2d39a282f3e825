package dev.mesh.sdk.internal.publish;

import dev.mesh.sdk.contract.QualityRule;
import dev.mesh.sdk.internal.quality.PortableCel;
import dev.mesh.sdk.registry.Rule;
import dev.mesh.sdk.registry.RuleSet;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A contract's quality rules as the registry carries them, in Confluent's shape (a CEL CONDITION rule on WRITE
 * per quality rule, its DLQ as a rule parameter), and back: the one place the two forms meet. The registered
 * expression is the one Confluent's executors evaluate as the mesh does ({@link PortableCel}); where it differs from
 * the contract's, the contract's travels beside it in {@code params."mesh.expr"} and is what the mesh evaluates.
 */
public final class RegistryRules {
    private RegistryRules() {
    }

    public static final String MESH_EXPR = "mesh.expr";

    public static Rule toRegistry(QualityRule q, String dlqTopic, Schema schema) {
        String portable = PortableCel.of(q.expr(), schema);
        Map<String, String> params = portable.equals(q.expr()) ? Map.of("dlq.topic", dlqTopic)
                : new TreeMap<>(Map.of("dlq.topic", dlqTopic, MESH_EXPR, q.expr()));
        return new Rule(q.name(), q.doc(), "CONDITION", "WRITE", "CEL", null, params, portable,
                null, q.onFailure().name(), false);
    }

    /** The rules of a registered rule set that a writer checks: enabled CEL conditions on WRITE. */
    public static List<QualityRule> writeRules(RuleSet ruleSet) {
        if (ruleSet == null || ruleSet.domainRules() == null) {
            return List.of();
        }
        List<QualityRule> rules = new ArrayList<>();
        for (Rule r : ruleSet.domainRules()) {
            boolean onWrite = r.mode() == null || r.mode().contains("WRITE");
            if ("CEL".equals(r.type()) && !"TRANSFORM".equals(r.kind()) && onWrite && !Boolean.TRUE.equals(r.disabled())) {
                String action = r.onFailure() == null ? "ERROR" : r.onFailure().split(",")[0].trim();
                QualityRule.OnFailure onFailure = "NONE".equals(action) ? QualityRule.OnFailure.NONE
                        : "DLQ".equals(action) ? QualityRule.OnFailure.DLQ : QualityRule.OnFailure.ERROR;
                String expr = r.params() != null && r.params().get(MESH_EXPR) != null ? r.params().get(MESH_EXPR) : r.expr();
                rules.add(new QualityRule(r.name(), expr, r.doc(), onFailure, 0));
            }
        }
        return rules;
    }
}
