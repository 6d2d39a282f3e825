package dev.mesh.sdk.contract.loader;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds what a misspelt name was probably meant to be, for "did you mean" hints. */
public final class ClosestName {
    private ClosestName() {
    }

    public static Optional<String> among(String typed, Collection<String> known) {
        for (String candidate : known) {
            // "expression" for "expr", "compat" for "compatibility": a longer or shorter form of a known name
            String a = typed.toLowerCase(Locale.ROOT);
            String b = candidate.toLowerCase(Locale.ROOT);
            if (Math.min(a.length(), b.length()) >= 3 && (a.startsWith(b) || b.startsWith(a))) {
                return Optional.of(candidate);
            }
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(typed.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        // a third of the word: "compatability" finds "compatibility", "foo" does not find "key"
        int tolerated = Math.max(1, Math.min(typed.length(), best == null ? 0 : best.length()) / 3);
        return bestDistance <= tolerated ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
