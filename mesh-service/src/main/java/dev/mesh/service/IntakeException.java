package dev.mesh.service;

import java.util.List;

/** A request body with invalid fields: every one of them is named, so a client fixes all at once. */
public final class IntakeException extends RuntimeException {
    private final List<FieldError> errors;

    public IntakeException(List<FieldError> errors) {
        super(errors.size() + " invalid field(s): " + errors);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    @io.micronaut.serde.annotation.Serdeable
    public record FieldError(String field, String message) {
    }
}
