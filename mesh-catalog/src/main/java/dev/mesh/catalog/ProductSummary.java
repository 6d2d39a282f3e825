package dev.mesh.catalog;

import java.util.List;

/** A product as lists and search results show it. {@code url} is its page. */
public record ProductSummary(String id, String topic, String version, String domain, String description,
                             String owner, String ownerContact, String classification, List<String> tags,
                             boolean derived, Freshness freshness, int consumers, long deadLetters, String url) {
}
