package dev.mesh.sdk.policy;

/** A contract that breaks a policy: where (file, line, field), which policy, how bad. */
public record PolicyViolation(String file, int line, String field, String policy, Policy.Severity severity, String message) {

    /** {@code products/sales/orders/v1/Order.avsc:9: field 'lines[].sku': [field-documented] ERROR every field ...}. */
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + (field.isEmpty() ? "" : "field '" + field + "': ") + "[" + policy + "] "
                + severity + " " + message;
    }
}
