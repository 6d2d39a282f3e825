package dev.mesh.catalog.lineage;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * A job as OpenLineage events reported it to the catalog: a record of {@code _mesh.lineage}, keyed
 * {@code <reporter>|<namespace>|<name>}, so a principal's reports never replace another's.
 *
 * @param reporter  the principal that posted the events (who signed in, not what the event says)
 * @param jobType   the job type facet's {@code jobType}, e.g. {@code STREAMS_APP}, when given
 * @param eventType the newest event's type: START, RUNNING, COMPLETE, ABORT, FAIL or OTHER
 * @param inputs    every dataset the run's events named as read
 * @param outputs   every dataset the run's events named as written
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReportedJob(String reporter, String namespace, String name, String jobType, String eventType,
                          Instant eventTime, String runId, List<Dataset> inputs, List<Dataset> outputs, Instant receivedAt) {

    public record Dataset(String namespace, String name) {

        /** A Kafka topic by OpenLineage's naming ({@code kafka://host:port}). */
        public boolean isKafka() {
            return namespace.startsWith("kafka://");
        }
    }

    public String key() {
        return key(reporter, namespace, name);
    }

    static String key(String reporter, String namespace, String name) {
        return reporter + "|" + namespace + "|" + name;
    }
}
