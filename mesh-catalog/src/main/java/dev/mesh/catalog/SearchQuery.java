package dev.mesh.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a search asks: words that must all match somewhere in a product (any case), and filters that must hold
 * exactly; null or blank means any.
 */
public record SearchQuery(String text, String domain, String classification, String tag) {

    public List<String> terms() {
        return text == null ? List.of() : Arrays.stream(text.toLowerCase(Locale.ROOT).split("\\s+")).filter(t -> !t.isBlank()).toList();
    }

    boolean accepts(ProductSummary p) {
        return matches(domain, p.domain()) && matches(classification, p.classification())
                && (blank(tag) || p.tags().stream().anyMatch(t -> t.equalsIgnoreCase(tag.trim())));
    }

    private static boolean matches(String wanted, String actual) {
        return blank(wanted) || wanted.trim().equalsIgnoreCase(actual);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
