package dev.mesh.service;

import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.intake.FieldProblem;
import dev.mesh.sdk.intake.RecordRefusedException;
import dev.mesh.sdk.errors.RuleViolationException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.serde.annotation.Serdeable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Intake errors as JSON {@code {"error", "fields": [{"field", "message"}]}}: 400 naming every invalid field, 413 for
 * a body or record too large, 422 naming the broken contract rule. What the service itself cannot do answers 503 or
 * 500 without its internals: those go to the log.
 */
@Requires(env = DomainService.ENV)
@Controller
final class IntakeErrorHandlers {
    private static final Logger log = LoggerFactory.getLogger(IntakeErrorHandlers.class);

    @Serdeable
    record InvalidFields(String error, List<FieldError> fields) {
    }

    @Serdeable
    record FieldError(String field, String message) {
    }

    @Serdeable
    record BrokenRule(String error, String product, String rule, String reason, boolean deadLettered) {
    }

    @Serdeable
    record Failure(String error) {
    }

    @Error(global = true, exception = RecordRefusedException.class)
    HttpResponse<InvalidFields> invalid(RecordRefusedException e) {
        List<FieldError> fields = e.problems().stream().map(p -> new FieldError(p.field(), p.message())).toList();
        return HttpResponse.<InvalidFields>status(e.tooLarge() ? HttpStatus.REQUEST_ENTITY_TOO_LARGE : HttpStatus.BAD_REQUEST)
                .body(new InvalidFields(e.tooLarge() ? "request too large" : "invalid request body", fields));
    }

    @Error(global = true, exception = ContentLengthExceededException.class)
    HttpResponse<InvalidFields> tooLarge(ContentLengthExceededException e) {
        return HttpResponse.<InvalidFields>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE).body(new InvalidFields(
                "request too large", List.of(new FieldError("$", "the body exceeds the service's limit"))));
    }

    @Error(global = true, exception = RuleViolationException.class)
    HttpResponse<BrokenRule> rule(RuleViolationException e) {
        return HttpResponse.unprocessableEntity().body(new BrokenRule("record breaks the product's contract",
                e.product(), e.rule(), e.reason(), e.deadLettered()));
    }

    /** Kafka or the registry could not take the record: the client may try again. */
    @Error(global = true, exception = MeshException.class)
    HttpResponse<?> unavailable(HttpRequest<?> request, MeshException e) {
        if (e instanceof RuleViolationException broken) {
            return rule(broken);
        }
        log.warn("{} {}: {}", request.getMethod(), request.getPath(), e.getMessage(), e);
        return HttpResponse.<Failure>status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(new Failure("the record could not be published now; try again (the service log says why)"));
    }
}
