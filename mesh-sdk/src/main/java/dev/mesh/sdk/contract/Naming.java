package dev.mesh.sdk.contract;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one place where the mesh's names are made: topics, registry subjects, DLQs and internal topics. */
public final class Naming {
    /**
     * Each domain's catalog topic is {@code _mesh.catalog.<domain>} (compacted): only that domain writes it, so what
     * the catalog says of a product comes from its owner alone.
     */
    public static final String CATALOG_PREFIX = "_mesh.catalog.";
    public static final String SCHEMAS_TOPIC = "_schemas";
    /** The DEK Registry's keys (Confluent's name), beside {@link #SCHEMAS_TOPIC}. */
    public static final String DEK_TOPIC = "_dek_registry_keys";
    /** Access requests and grants, one record per request (compacted). */
    public static final String ACCESS_TOPIC = "_mesh.access";
    /** Who changed what: access decisions, registry writes, ACL applies, redrives (kept for good). */
    public static final String AUDIT_TOPIC = "_mesh.audit";
    /** Every evaluation of every product's SLOs: state, since when, measured value (kept a day). */
    public static final String SLO_TOPIC = "_mesh.slo";
    /** Every change of an SLO's state, with the owner to tell (kept 30 days). */
    public static final String ALERTS_TOPIC = "_mesh.alerts";
    /** Jobs as OpenLineage events reported them to the catalog, one record per reporter and job (compacted). */
    public static final String LINEAGE_TOPIC = "_mesh.lineage";
    /** What each consumer group read of each product per day (compacted, a record per day, product and group). */
    public static final String USAGE_TOPIC = "_mesh.usage";
    /** The transactional id of the catalog's SLO evaluator: a reading and its alert are written together or not at all. */
    public static final String SLO_WRITER = "mesh-catalog-slo";
    private static final String DLQ_SUFFIX = ".dlq";
    private static final Pattern TOPIC = Pattern.compile("([a-z][a-z0-9-]*)\\.([a-z][a-z0-9-]*)\\.v([1-9][0-9]*)");

    private Naming() {
    }

    /**
     * The active grants on a domain's products ({@code _mesh.grants.<domain>}, compacted): written by the marketplace,
     * read by the domain's services, whose doors honour them. Nobody else reads who was granted what.
     */
    public static final String GRANTS_PREFIX = "_mesh.grants.";

    public static String grantsTopic(String domain) {
        return GRANTS_PREFIX + domain;
    }

    /** The catalog topic of a domain: {@code _mesh.catalog.<domain>}. */
    public static String catalogTopic(String domain) {
        return CATALOG_PREFIX + domain;
    }

    /** The domain whose catalog topic this is, if it is one. */
    public static Optional<String> catalogDomain(String topic) {
        if (!topic.startsWith(CATALOG_PREFIX) || topic.length() == CATALOG_PREFIX.length()) {
            return Optional.empty();
        }
        return Optional.of(topic.substring(CATALOG_PREFIX.length()));
    }

    /** The domain a consumer group or Streams application id belongs to by its prefix ({@code <domain>-...}), if any. */
    public static Optional<String> groupDomain(String group) {
        int dash = group.indexOf('-');
        return dash <= 0 ? Optional.empty() : Optional.of(group.substring(0, dash));
    }

    /** {@code <domain>.<name>.v<major>}: a breaking change is a new major, hence a new topic. */
    public static String topic(ProductId product, int major) {
        if (major < 1) {
            throw new IllegalArgumentException("major version of " + product + " must be at least 1, was " + major);
        }
        return product + ".v" + major;
    }

    /** The product's name within its domain, with its major from 2 on: orders, orders-v2 (as in /products/orders-v2). */
    public static String productName(ProductId product, int major) {
        return major == 1 ? product.name() : product.name() + "-v" + major;
    }

    /**
     * The Kafka Streams application id of the app deriving the product, {@code <domain>-<name>}: it begins with the
     * domain's group prefix ({@code <domain>-}), and prefixes the app's internal topics and transactional ids.
     */
    public static String applicationId(ProductId product, int major) {
        return product.domain() + "-" + productName(product, major);
    }

    /** The prefix of every consumer group and Streams application id of a domain (or another principal). */
    public static String groupPrefix(String domain) {
        return domain + "-";
    }

    /** Confluent's TopicNameStrategy for values: {@code <topic>-value}. */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    public static String dlqTopic(String topic) {
        return topic + DLQ_SUFFIX;
    }

    /** A consumer group's own dead letters for a topic: records it could not decode or handle. */
    public static String consumerDlqTopic(String topic, String group) {
        return topic + "." + group + DLQ_SUFFIX;
    }

    /** A Streams app's dead letters: input records it could not decode, with Kafka Streams' own error headers. */
    public static String streamsDlqTopic(String applicationId) {
        return applicationId + DLQ_SUFFIX;
    }

    public static boolean isDlq(String topic) {
        return topic.endsWith(DLQ_SUFFIX);
    }

    /** The product and major version a product topic carries, if it is one. */
    public static Optional<ProductVersion> parseTopic(String topic) {
        Matcher m = TOPIC.matcher(topic);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new ProductVersion(new ProductId(m.group(1), m.group(2)), Integer.parseInt(m.group(3))));
    }

    /** A product at one major version: one topic. */
    public record ProductVersion(ProductId product, int major) {
        public String topic() {
            return Naming.topic(product, major);
        }
    }
}
