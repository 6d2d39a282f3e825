package dev.mesh.catalog;

import java.util.List;

/** A product found, how well it matched, and where each word was found. */
public record SearchResult(ProductSummary product, int score, List<Match> matches) {

    /** @param in where the word was found: id, tag, owner, description, field or field doc */
    public record Match(String in, String text) {
    }
}
