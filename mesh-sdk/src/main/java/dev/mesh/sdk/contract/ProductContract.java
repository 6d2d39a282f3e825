package dev.mesh.sdk.contract;

import org.apache.avro.Schema;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A data product's contract: what the product is, who owns it, its schema, topic settings, SLOs and quality
 * rules, and for a derived product the products it is built from. Loaded and validated by {@link ContractLoader}.
 *
 * @param origin    where it was loaded from (file or classpath resource), for messages
 * @param version   semver; the major is the topic version
 * @param keyField  the schema field whose value is the record key
 * @param schema    the parsed Avro schema the contract's {@code schema} file holds
 * @param inputs    for a derived product: the product versions it is built from; empty otherwise
 * @param classificationReason why a derived product is classified lower than an input, when it is
 * @param migration   for a later major: how its records map to and from the major it replaces
 */
public record ProductContract(
        String origin,
        ProductId product,
        SemVer version,
        Owner owner,
        String description,
        String keyField,
        Schema schema,
        TopicSettings topic,
        String compatibility,
        Classification classification,
        Optional<String> classificationReason,
        List<String> tags,
        Slo slo,
        List<QualityRule> quality,
        List<Naming.ProductVersion> inputs,
        EventTime eventTime,
        Limits limits,
        Intake intake,
        Optional<Generator> generator,
        Access access,
        Optional<Deprecation> deprecated,
        Optional<Migration> migration) {

    public ProductContract {
        tags = List.copyOf(tags);
        quality = List.copyOf(quality);
        inputs = List.copyOf(inputs);
    }

    public int major() {
        return version.major();
    }

    public String topicName() {
        return Naming.topic(product, major());
    }

    public String subject() {
        return Naming.valueSubject(topicName());
    }

    public String dlqTopic() {
        return Naming.dlqTopic(topicName());
    }

    public boolean isDerived() {
        return !inputs.isEmpty();
    }

    public record SemVer(int major, int minor, int patch) {
        public static Optional<SemVer> parse(String text) {
            var m = java.util.regex.Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)").matcher(text.trim());
            if (!m.matches()) {
                return Optional.empty();
            }
            return Optional.of(new SemVer(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
        }

        @Override
        public String toString() {
            return major + "." + minor + "." + patch;
        }
    }

    public record Owner(String team, String contact) {
    }

    /** @param retention empty means the broker's default; cleanupPolicy is "delete" or "compact" */
    public record TopicSettings(int partitions, Optional<Duration> retention, String cleanupPolicy) {
    }

    /** @param availability e.g. "99.9%" as written, empty when not declared */
    /**
     * Bounds on when a record's event may have happened, on the contract's event-time field: never before
     * {@code notBefore} (1970 unless the contract says later: Kafka record times start there), never more than
     * {@code maxFuture} ahead of the clock.
     */
    public record EventTime(Optional<String> field, Instant notBefore, Optional<Duration> maxFuture) {
        public static final EventTime NONE = new EventTime(Optional.empty(), Instant.EPOCH, Optional.empty());

        /** Why {@code at} is out of bounds, if it is. */
        public Optional<String> violation(Instant at, Instant now) {
            if (at == null) {
                return Optional.empty();
            }
            if (at.isBefore(notBefore)) {
                return Optional.of("must not be before " + notBefore + ", was " + at);
            }
            if (maxFuture.isPresent() && at.isAfter(now.plus(maxFuture.get()))) {
                return Optional.of("must not be more than " + DurationText.format(maxFuture.get())
                        + " in the future, was " + at);
            }
            return Optional.empty();
        }
    }

    /**
     * What the domain service fills in when a record posted to its intake leaves a top-level field out: per field a
     * template, where {@code {uuid}} is a new random UUID and {@code {now}} the current instant, e.g.
     * {@code orderId: "o-{uuid}"}; the result is read like a value the client sent.
     */
    public record Intake(java.util.Map<String, String> fill) {
        public static final Intake NONE = new Intake(java.util.Map.of());

        public Intake {
            fill = java.util.Map.copyOf(fill);
        }

        /** The field's value for now: the template with its placeholders replaced. */
        public static String render(String template, Instant now) {
            return template.replace("{now}", now.toString()).replace("{uuid}", java.util.UUID.randomUUID().toString());
        }
    }

    /**
     * Synthetic demo traffic for a source product, made by its domain service from the schema when the contract
     * asks for it (products with a generator of their own leave it out): records drawn from the schema that keep its
     * rules, {@code share} of them per generator step ({@code generator.rate}); with {@code follows}, each takes the
     * fields it shares by name with a recent record of that product (a return follows an order: same orderId).
     */
    public record Generator(Optional<ProductId> follows, double share) {
    }

    /**
     * Who may read the product besides its owner: Kafka principals ({@code User:analytics}), a domain named alone
     * standing for its principal ({@code finance} = {@code User:finance}). The classification sets who else may:
     * {@code public} any authenticated principal, {@code internal} every domain of the mesh,
     * {@code confidential}/{@code restricted} only those named here.
     */
    public record Access(List<String> readers) {
        public static final Access NONE = new Access(List.of());

        public Access {
            readers = List.copyOf(readers);
        }
    }

    /**
     * A major on its way out: its successor (the next major's topic) and the day after which nobody may publish to it
     * or start a new consumer of it. Until then it is fed and read as before, shown as deprecated with the days left.
     */
    public record Deprecation(String successor, java.time.LocalDate sunset) {
        /** Whether {@code now} is after the sunset day (UTC). */
        public boolean isPast(Instant now) {
            return now.atZone(java.time.ZoneOffset.UTC).toLocalDate().isAfter(sunset);
        }

        public long daysLeft(Instant now) {
            return java.time.temporal.ChronoUnit.DAYS.between(now.atZone(java.time.ZoneOffset.UTC).toLocalDate(), sunset);
        }
    }

    /**
     * How a later major's records map to and from the major it replaces ({@code from}), as JSONata expressions over
     * a record's JSON, like Confluent's UPGRADE/DOWNGRADE migration rules: while {@code from} is deprecated the
     * owner publishes to this major and the SDK feeds {@code from} with every record downgraded, exactly once; a
     * record sent to {@code from}'s intake is upgraded and published here.
     */
    public record Migration(Naming.ProductVersion from, String upgrade, String downgrade) {
        public String fromTopic() {
            return from.topic();
        }
    }

    /** Bounds on one record's strings and collections at intake. */
    public record Limits(int maxStringLength, int maxItems) {
        public static final Limits DEFAULTS = new Limits(10_000, 1_000);
    }

    /**
     * What the owner promises of the product over time, evaluated by the catalog on a schedule.
     *
     * @param window          what {@code volume} and {@code deadLetterRatio} are measured over (default 5 minutes)
     * @param volume          records per window, within bounds
     * @param deadLetterRatio the share of the window's records that went to a dead letter queue, at most (0..1]
     * @param consumerLag     the age of the oldest record a reading group has not read, at most
     * @param latency         for a derived product, from its source record's time to the derived record's write, at most
     */
    public record Slo(Optional<Duration> freshness, Optional<String> availability, Duration window,
                      Optional<Volume> volume, Optional<Double> deadLetterRatio, Optional<Duration> consumerLag,
                      Optional<Duration> latency) {
        public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

        public Slo(Optional<Duration> freshness, Optional<String> availability) {
            this(freshness, availability, DEFAULT_WINDOW, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /** Records per SLO window: at least {@code min}, at most {@code max} (either may be absent, not both). */
    public record Volume(Optional<Long> min, Optional<Long> max) {
    }

    public enum Classification {
        PUBLIC, INTERNAL, CONFIDENTIAL, RESTRICTED
    }
}
