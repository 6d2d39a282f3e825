package dev.mesh.sdk.internal.publish;

import dev.mesh.sdk.contract.QualityRule;
import dev.mesh.sdk.registry.Rule;
import dev.mesh.sdk.registry.RuleSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A contract's quality rules as the registry carries them, in Confluent's shape (a CEL CONDITION rule on WRITE
 * per quality rule, its DLQ as a rule parameter), and back: the one place the two forms meet.
 */
public final class RegistryRules {
    private RegistryRules() {
    }

    public static Rule toRegistry(QualityRule q, String dlqTopic) {
        return new Rule(q.name(), q.doc(), "CONDITION", "WRITE", "CEL", null, Map.of("dlq.topic", dlqTopic), q.expr(),
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
                rules.add(new QualityRule(r.name(), r.expr(), r.doc(), onFailure, 0));
            }
        }
        return rules;
    }
}
