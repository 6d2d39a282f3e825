package dev.mesh.registry.core;

import java.util.Locale;
import java.util.Optional;

/** A subject's or the registry's mode: whether it takes writes. */
public enum Mode {
    READWRITE, READONLY, READONLY_OVERRIDE, IMPORT;

    public boolean allowsWrites() {
        return this == READWRITE || this == IMPORT;
    }

    public static Optional<Mode> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
