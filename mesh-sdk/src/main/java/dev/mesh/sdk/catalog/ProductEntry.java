package dev.mesh.sdk.catalog;

import dev.mesh.sdk.registry.Rule;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.QualityRule;

import java.time.Instant;
import java.util.List;

/**
 * A product as the catalog shows it: its contract and who runs it.
 *
 * @param publisherApp          the application that publishes it
 * @param streamsApplicationId  for a derived product, the Kafka Streams application that writes it
 * @param inputs                topics of the products it is built from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProductEntry(
        String product, String version, int major, String topic, String subject, String dlqTopic,
        String ownerTeam, String ownerContact, String description, String keyField, String classification,
        List<String> tags, String compatibility, String freshness, String availability,
        int partitions, String retention, String cleanupPolicy, List<Rule> quality, List<String> inputs,
        Integer schemaId, String publisherApp, String streamsApplicationId, Instant updatedAt,
        String successor, java.time.LocalDate sunset, Objectives objectives) {

    /**
     * The SLOs besides freshness, as the contract states them (null when it states none of them).
     *
     * @param window          ISO-8601 duration the volume and dead-letter ratio are measured over
     * @param deadLetterRatio a share, 0.01 for 1%
     * @param consumerLag     ISO-8601 duration
     * @param latency         ISO-8601 duration, for a derived product
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Objectives(String window, Long volumeMin, Long volumeMax, Double deadLetterRatio, String consumerLag,
                             String latency) {

        static Objectives of(ProductContract.Slo slo) {
            if (slo.volume().isEmpty() && slo.deadLetterRatio().isEmpty() && slo.consumerLag().isEmpty() && slo.latency().isEmpty()) {
                return null;
            }
            return new Objectives(slo.window().toString(), slo.volume().flatMap(ProductContract.Volume::min).orElse(null),
                    slo.volume().flatMap(ProductContract.Volume::max).orElse(null), slo.deadLetterRatio().orElse(null),
                    slo.consumerLag().map(Object::toString).orElse(null), slo.latency().map(Object::toString).orElse(null));
        }
    }

    public record Rule(String name, String expr, String onFailure, String doc) {
    }

    public static ProductEntry of(ProductContract c, int schemaId, String publisherApp, String streamsApplicationId) {
        return new ProductEntry(c.product().toString(), c.version().toString(), c.major(), c.topicName(), c.subject(),
                c.dlqTopic(), c.owner().team(), c.owner().contact(), c.description(), c.keyField(),
                c.classification().name().toLowerCase(java.util.Locale.ROOT), c.tags(), c.compatibility(),
                c.slo().freshness().map(Object::toString).orElse(null), c.slo().availability().orElse(null),
                c.topic().partitions(), c.topic().retention().map(Object::toString).orElse(null), c.topic().cleanupPolicy(),
                c.quality().stream().map(ProductEntry::rule).toList(),
                c.inputs().stream().map(v -> v.topic()).toList(),
                schemaId, publisherApp, streamsApplicationId, Instant.now(),
                c.deprecated().map(ProductContract.Deprecation::successor).orElse(null),
                c.deprecated().map(ProductContract.Deprecation::sunset).orElse(null), Objectives.of(c.slo()));
    }

    /** What is wrong with the entry's SLOs as written (a loader never writes such an entry; a raw client may), if anything. */
    public java.util.Optional<String> sloProblem() {
        java.util.List<String> problems = new java.util.ArrayList<>();
        positive("freshness", freshness, problems);
        if (objectives != null) {
            positive("objectives.window", objectives.window(), problems);
            positive("objectives.consumerLag", objectives.consumerLag(), problems);
            positive("objectives.latency", objectives.latency(), problems);
            if (objectives.deadLetterRatio() != null && !(objectives.deadLetterRatio() > 0 && objectives.deadLetterRatio() <= 1)) {
                problems.add("objectives.deadLetterRatio " + objectives.deadLetterRatio() + " is not a share above 0 and at most 1");
            }
            if (objectives.volumeMin() != null && objectives.volumeMin() < 0 || objectives.volumeMax() != null && objectives.volumeMax() < 0) {
                problems.add("objectives.volume is negative");
            }
        }
        return problems.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(String.join("; ", problems));
    }

    private static void positive(String field, String duration, java.util.List<String> problems) {
        if (duration == null) {
            return;
        }
        try {
            if (!java.time.Duration.parse(duration).isNegative() && !java.time.Duration.parse(duration).isZero()) {
                return;
            }
        } catch (java.time.format.DateTimeParseException e) {
            // said below
        }
        problems.add(field + " '" + duration + "' is not a positive ISO-8601 duration");
    }

    /** The product's own DLQ, made from its topic: never from what the entry's writer put there. */
    @Override
    public String dlqTopic() {
        return topic == null ? null : dev.mesh.sdk.contract.Naming.dlqTopic(topic);
    }

    /** The product's value subject, made from its topic (TopicNameStrategy). */
    @Override
    public String subject() {
        return topic == null ? null : dev.mesh.sdk.contract.Naming.valueSubject(topic);
    }

    /** The same entry built from {@code inputs} (e.g. a deprecated major fed from its successor by a bridge). */
    public ProductEntry withInputs(List<String> inputs) {
        return new ProductEntry(product, version, major, topic, subject, dlqTopic, ownerTeam, ownerContact, description,
                keyField, classification, tags, compatibility, freshness, availability, partitions, retention, cleanupPolicy,
                quality, List.copyOf(inputs), schemaId, publisherApp, streamsApplicationId, updatedAt, successor, sunset, objectives);
    }

    private static Rule rule(QualityRule r) {
        return new Rule(r.name(), r.expr(), r.onFailure().name(), r.doc());
    }

    public boolean isDeprecated() {
        return successor != null;
    }

    /** For people: {@code deprecated: use sales.orders.v2, sunset 2027-06-30 (211 days left)}; empty if it is not. */
    public String deprecation(Instant now) {
        if (!isDeprecated()) {
            return "";
        }
        long days = java.time.temporal.ChronoUnit.DAYS.between(now.atZone(java.time.ZoneOffset.UTC).toLocalDate(), sunset);
        return "deprecated: use " + successor + ", sunset " + sunset
                + (days >= 0 ? " (" + days + " days left)" : " (past: no new publishers or consumers)");
    }

    public boolean isDerived() {
        return inputs != null && !inputs.isEmpty();
    }

    /** A deprecated major whose only input is its successor: the migration bridge feeds it, nobody derives it. */
    public boolean isBridged() {
        return isDeprecated() && List.of(successor).equals(inputs);
    }
}
