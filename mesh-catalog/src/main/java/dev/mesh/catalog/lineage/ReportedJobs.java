package dev.mesh.catalog.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.catalog.CatalogApplication;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.kafka.FollowedTopics;
import dev.mesh.sdk.kafka.JsonTopic;
import dev.mesh.sdk.kafka.Topics;
import dev.mesh.sdk.ops.MeshOps;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * OpenLineage RunEvents posted to the catalog ({@code POST /api/v1/lineage}, Marquez's path): by the mesh's own
 * publishers and Streams apps and by any job nobody here wrote. Each job's datasets are kept on {@code _mesh.lineage}
 * (compacted, one record per reporter and job; the events of one run add up) and followed, so every catalog instance
 * draws them in its lineage.
 */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class ReportedJobs implements AutoCloseable {
    static final String TOPIC = Naming.LINEAGE_TOPIC;
    /** Bounds on what one principal can make the catalog keep. */
    static final int MAX_JOBS_PER_REPORTER = 1_000;
    static final int MAX_DATASETS = 1_000;
    static final int MAX_NAME = 1_024;
    /** Characters of dataset names a job may list, and a principal's jobs together: the catalog holds them all in memory. */
    static final int MAX_JOB_CHARS = 64 << 10;
    static final int MAX_REPORTER_CHARS = 1 << 20;
    private static final Set<String> EVENT_TYPES = Set.of("START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER");

    private final JsonTopic topic;
    private final FollowedTopics<Map<String, ReportedJob>> jobs;
    private final MeshOps ops;
    private volatile boolean ensured;

    ReportedJobs(MeshOps ops) {
        this.ops = ops;
        this.topic = new JsonTopic(TOPIC, ops.mesh().kafkaProperties());
        this.jobs = FollowedTopics.topic(ops.mesh().kafkaProperties(), TOPIC, Latest::new);
    }

    /** Every reported job, by key. */
    public Collection<ReportedJob> all() {
        return jobs.current().values();
    }

    /** A refused event: the status and the field at fault. */
    public static final class Refused extends RuntimeException {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Keeps what {@code event} says of its job, for {@code reporter}; refuses an event that is not a RunEvent. */
    public synchronized ReportedJob report(String reporter, JsonNode event) {
        String namespace = text(event, "job.namespace", event.path("job").path("namespace"));
        String name = text(event, "job.name", event.path("job").path("name"));
        String runId = text(event, "run.runId", event.path("run").path("runId"));
        try {
            UUID.fromString(runId);
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "run.runId: '" + runId + "' is not a UUID");
        }
        Instant eventTime;
        try {
            eventTime = OffsetDateTime.parse(text(event, "eventTime", event.path("eventTime"))).toInstant();
        } catch (DateTimeParseException e) {
            throw new Refused(400, "eventTime: '" + event.path("eventTime").asText() + "' is not an ISO-8601 date-time with an offset");
        }
        text(event, "producer", event.path("producer"));
        text(event, "schemaURL", event.path("schemaURL"));
        String eventType = event.hasNonNull("eventType") ? event.path("eventType").asText() : null;
        if (eventType != null && !EVENT_TYPES.contains(eventType)) {
            throw new Refused(400, "eventType: '" + eventType + "' is none of " + String.join(", ", new java.util.TreeSet<>(EVENT_TYPES)));
        }
        List<ReportedJob.Dataset> inputs = datasets(event.path("inputs"), "inputs");
        List<ReportedJob.Dataset> outputs = datasets(event.path("outputs"), "outputs");
        String jobType = event.path("job").path("facets").path("jobType").path("jobType").asText(null);
        Map<String, ReportedJob> current = jobs.current();
        String key = ReportedJob.key(reporter, namespace, name);
        ReportedJob before = current.get(key);
        if (before == null && current.values().stream().filter(j -> j.reporter().equals(reporter)).count() >= MAX_JOBS_PER_REPORTER) {
            throw new Refused(429, reporter + " already reports " + MAX_JOBS_PER_REPORTER + " jobs; the catalog keeps no more per principal");
        }
        if (before != null && before.runId().equals(runId)) {
            // one run's events add up: a RUNNING or COMPLETE event need not repeat what START said
            inputs = union(before.inputs(), inputs);
            outputs = union(before.outputs(), outputs);
            jobType = jobType != null ? jobType : before.jobType();
        }
        long chars = chars(inputs) + chars(outputs);
        if (chars > MAX_JOB_CHARS) {
            String sameRun = before != null && before.runId().equals(runId) ? " with what this run reported before" : "";
            throw new Refused(400, "inputs, outputs: " + chars + " characters of dataset names" + sameRun
                    + "; a job lists at most " + MAX_JOB_CHARS);
        }
        long reported = current.values().stream().filter(j -> j.reporter().equals(reporter) && !j.key().equals(key))
                .mapToLong(j -> chars(j.inputs()) + chars(j.outputs())).sum();
        if (reported + chars > MAX_REPORTER_CHARS) {
            throw new Refused(429, reporter + "'s jobs already list " + reported + " characters of dataset names; the catalog"
                    + " keeps at most " + MAX_REPORTER_CHARS + " per principal");
        }
        ReportedJob job = new ReportedJob(reporter, namespace, name, jobType, eventType, eventTime, runId, inputs, outputs, Instant.now());
        ensureTopic();
        topic.append(key, job);
        return job;
    }

    private static String text(JsonNode event, String field, JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            throw new Refused(400, field + ": missing; an OpenLineage RunEvent has eventTime, producer, schemaURL, run.runId, job.namespace and job.name");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new Refused(400, field + ": expected text, found " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (value.asText().length() > MAX_NAME) {
            throw new Refused(400, field + ": longer than " + MAX_NAME + " characters");
        }
        return value.asText();
    }

    private static List<ReportedJob.Dataset> datasets(JsonNode list, String field) {
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new Refused(400, field + ": expected a list of datasets");
        }
        if (list.size() > MAX_DATASETS) {
            throw new Refused(400, field + ": " + list.size() + " datasets; at most " + MAX_DATASETS);
        }
        List<ReportedJob.Dataset> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode d = list.get(i);
            out.add(new ReportedJob.Dataset(text(d, field + "[" + i + "].namespace", d.path("namespace")),
                    text(d, field + "[" + i + "].name", d.path("name"))));
        }
        return List.copyOf(new LinkedHashSet<>(out));
    }

    private static long chars(List<ReportedJob.Dataset> datasets) {
        return datasets.stream().mapToLong(d -> d.namespace().length() + d.name().length()).sum();
    }

    private static List<ReportedJob.Dataset> union(List<ReportedJob.Dataset> a, List<ReportedJob.Dataset> b) {
        Set<ReportedJob.Dataset> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return List.copyOf(all).subList(0, Math.min(all.size(), MAX_DATASETS));
    }

    private void ensureTopic() {
        if (!ensured) {
            Topics.ensure(ops.mesh().admin(), TOPIC, 1, ops.mesh().replicationFactor(), Map.of("cleanup.policy", "compact"));
            ensured = true;
        }
    }

    /** The newest record per key; a record that is not a reported job (only the catalog writes these) is skipped. */
    private static final class Latest implements FollowedTopics.Fold<Map<String, ReportedJob>> {
        private final Map<String, ReportedJob> jobs = new HashMap<>();

        @Override
        public void apply(ConsumerRecord<String, String> record) {
            if (record.value() == null) {
                jobs.remove(record.key());
                return;
            }
            try {
                ReportedJob job = JsonTopic.JSON.readValue(record.value(), ReportedJob.class);
                jobs.put(job.key(), job);
            } catch (Exception e) {
                // not a job
            }
        }

        @Override
        public Map<String, ReportedJob> state() {
            return Map.copyOf(jobs);
        }
    }

    @Override
    @PreDestroy
    public void close() {
        jobs.close();
        topic.close();
    }
}
