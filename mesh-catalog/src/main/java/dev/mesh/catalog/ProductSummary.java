package dev.mesh.catalog;

import java.util.List;

/**
 * A product as lists and search results show it. {@code url} is its page; {@code refusedOnRead} counts records of the
 * product its readers refused on read (undecodable or outside its contract): not zero is an integrity failure.
 * {@code successor} is the topic of the next major when this one is deprecated; {@code derived} is false for a
 * deprecated major the migration bridge feeds from it.
 */
public record ProductSummary(String id, String topic, String version, String domain, String description,
                             String owner, String ownerContact, String classification, List<String> tags,
                             boolean derived, Freshness freshness, int consumers, long deadLetters, long refusedOnRead,
                             String url, String successor) {
}
