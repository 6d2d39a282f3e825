package dev.mesh.sdk.contract;

import java.util.regex.Pattern;

/**
 * A data product's identity, {@code <domain>.<name>}, e.g. {@code sales.orders}. Lower-case words joined by
 * hyphens, so the names derived from it are valid Kafka topic names and registry subjects everywhere.
 */
public record ProductId(String domain, String name) {
    private static final Pattern PART = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public ProductId {
        requireValid(domain, "domain");
        requireValid(name, "name");
    }

    /** Parses {@code <domain>.<name>}; the message says what is wrong with a bad id. */
    public static ProductId parse(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("product id is empty; expected <domain>.<name>, e.g. sales.orders");
        }
        int dot = id.indexOf('.');
        if (dot < 0 || dot != id.lastIndexOf('.')) {
            throw new IllegalArgumentException("product id '" + id
                    + "' must have exactly one dot: <domain>.<name>, e.g. sales.orders");
        }
        return new ProductId(id.substring(0, dot), id.substring(dot + 1));
    }

    private static void requireValid(String part, String what) {
        if (part == null || !PART.matcher(part).matches()) {
            throw new IllegalArgumentException("product " + what + " '" + part
                    + "' must be lower-case letters and digits, words joined by '-', starting with a letter");
        }
    }

    @Override
    public String toString() {
        return domain + "." + name;
    }
}
