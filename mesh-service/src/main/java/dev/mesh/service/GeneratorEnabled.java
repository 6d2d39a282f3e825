package dev.mesh.service;

import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;

/** Generators run when {@code generator.rate} is a positive number ("2", "0.5"; not "0" nor "0.0"). */
public final class GeneratorEnabled implements Condition {
    @Override
    public boolean matches(ConditionContext context) {
        return context.getProperty("generator.rate", Double.class).map(rate -> rate > 0).orElse(false);
    }
}
