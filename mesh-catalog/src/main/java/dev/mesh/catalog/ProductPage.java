package dev.mesh.catalog;

import dev.mesh.sdk.catalog.ProductEntry;

import java.time.Instant;
import java.util.List;

/**
 * Everything the product page shows but the slow parts (records, throughput, quality), which have endpoints of
 * their own so the page can draw while they load.
 *
 * @param missing what the catalog promises but the cluster or registry lacks, e.g. a deleted topic
 * @param deprecation for a deprecated major: its successor, sunset and days left; null otherwise
 */
public record ProductPage(
        String id, String topic, String subject, String dlqTopic, String version, int major, String domain,
        String description, Owner owner, String key, String classification, List<String> tags, String compatibility,
        Slo slo, TopicSettings topicSettings, List<ProductEntry.Rule> quality, List<ProductLink> inputs,
        List<ProductLink> downstream, String publisherApp, String streamsApplicationId, Instant updatedAt,
        List<String> missing, Status status, SchemaView schema, List<VersionInfo> versions,
        List<ConsumerView> consumers, HowToConsume howToConsume, String deprecation) {

    public record Owner(String team, String contact) {
    }

    /** @param freshness the SLO as ISO-8601, e.g. PT5M */
    public record Slo(String freshness, String availability) {
    }

    public record TopicSettings(int partitions, String retention, String cleanupPolicy) {
    }

    /** @param known false for an input the catalog has no entry for */
    public record ProductLink(String id, String topic, String url, boolean known) {
    }

    /**
     * @param deadLetters the product's dead letters in all its queues
     * @param deadLetterQueues each queue: its own DLQ (refused by its publisher), its consumers', its Streams readers'
     */
    public record Status(boolean topicExists, int partitions, long records, Freshness freshness,
                         boolean dlqExists, long deadLetters, long refusedOnRead, List<DeadLetterQueueView> deadLetterQueues) {
    }

    /** @param contractVersion the contract's semver that registered this schema version */
    public record SchemaView(String subject, int version, int id, String contractVersion, String name, String doc,
                             List<FieldRow> fields) {
    }

    public record VersionInfo(int version, int id, String contractVersion) {
    }

    /**
     * @param lagRecords records the group has not read yet, null when its offsets could not be read
     * @param lagSeconds age of the oldest of them, null when it has read everything
     */
    /**
     * A topic holding some of the product's dead letters, who refused them there, and how many; {@code refusedOnRead}
     * of them because a reader could not decode them or they broke the product's contract.
     */
    public record DeadLetterQueueView(String topic, String refusedBy, long records, long refusedOnRead) {
    }

    public record ConsumerView(String group, String app, String kind, Long lagRecords, Long lagSeconds) {
    }

    public record HowToConsume(String topic, String subject, String bootstrapServers, String registryUrl,
                               String sdk, String kcat) {
    }
}
