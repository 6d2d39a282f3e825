package dev.mesh.catalog;

import java.time.Instant;

/**
 * What a topic holds now.
 *
 * @param records offset span over all partitions (a transactional writer's markers count too)
 * @param newest  timestamp of the newest record, null for an empty or missing topic
 * @param end     the sum of the partitions' end offsets: it only grows, so what was written between two probes is
 *                the difference (retention moves the start, never the end)
 */
public record TopicState(String topic, boolean exists, int partitions, long records, Instant newest, long end) {

    static TopicState missing(String topic) {
        return new TopicState(topic, false, 0, 0, null, 0);
    }
}
