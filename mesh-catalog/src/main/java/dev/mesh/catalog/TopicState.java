package dev.mesh.catalog;

import java.time.Instant;

/**
 * What a topic holds now.
 *
 * @param records offset span over all partitions (a transactional writer's markers count too)
 * @param newest  timestamp of the newest record, null for an empty or missing topic
 */
public record TopicState(String topic, boolean exists, int partitions, long records, Instant newest) {

    static TopicState missing(String topic) {
        return new TopicState(topic, false, 0, 0, null);
    }
}
