package dev.mesh.service;

import io.micronaut.context.annotation.Requires;
import dev.mesh.sdk.publish.RuleViolationException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** Intake errors as JSON: 400 naming every invalid field, 422 naming the broken contract rule. */
@Requires(env = DomainService.ENV)
@Controller
final class IntakeErrorHandlers {

    @Serdeable
    record InvalidFields(String error, List<IntakeException.FieldError> fields) {
    }

    @Serdeable
    record BrokenRule(String error, String product, String rule, String reason, boolean deadLettered) {
    }

    @Error(global = true, exception = IntakeException.class)
    HttpResponse<InvalidFields> invalid(HttpRequest<?> request, IntakeException e) {
        return HttpResponse.badRequest(new InvalidFields("invalid request body", e.errors()));
    }

    @Error(global = true, exception = RuleViolationException.class)
    HttpResponse<BrokenRule> rule(HttpRequest<?> request, RuleViolationException e) {
        return HttpResponse.unprocessableEntity().body(new BrokenRule("record breaks the product's contract",
                e.product(), e.rule(), e.reason(), e.deadLettered()));
    }

}
