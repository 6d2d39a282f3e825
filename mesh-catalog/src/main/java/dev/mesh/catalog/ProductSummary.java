package dev.mesh.catalog;

import java.util.List;

/**
 * A product as lists and search results show it. {@code url} is its page; {@code refusedOnRead} counts records of the
 * product its readers refused on read (undecodable or outside its contract): not zero is an integrity failure.
 */
public record ProductSummary(String id, String topic, String version, String domain, String description,
                             String owner, String ownerContact, String classification, List<String> tags,
                             boolean derived, Freshness freshness, int consumers, long deadLetters, long refusedOnRead,
                             String url) {
}
