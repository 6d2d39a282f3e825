package dev.mesh.sdk.ops;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@code tail} reads: where to start (the end by default, or the beginning, an offset, or records newer than
 * {@code since}), how many ({@code limit}, 0 = until stopped or, without follow, the current end), only one key's
 * partition, records matching a CEL filter, PII revealed or masked.
 */
public record TailOptions(boolean fromBeginning, OptionalLong offset, Optional<Duration> since, int limit,
                          Optional<String> key, Optional<String> filter, boolean reveal, boolean follow) {

    /** Only the newest {@code limit} records, read once: no start, key, filter or following. */
    public boolean lastN() {
        return limit > 0 && !follow && !fromBeginning && offset.isEmpty() && since.isEmpty() && key.isEmpty() && filter.isEmpty();
    }
}
