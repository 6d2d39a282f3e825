package dev.mesh.catalog.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * What one consumer group read of one product on one day (UTC): a record of {@code _mesh.usage}, keyed
 * {@code <day>|<topic>|<group>}, written again as the day goes on.
 *
 * @param reader   the domain the group belongs to by the mesh's naming ({@code finance-...}: finance)
 * @param records  records the group's committed offsets moved past that day
 * @param bytes    those records' share of the partitions' size on the broker (records times the partition's
 *                 average record size as the broker stores it: batches, headers and compression included)
 * @param offsets  the group's committed offset per partition when last measured, where the next measurement goes on
 *                 from (so a restarted catalog neither counts twice nor loses a day)
 */
public record DailyUsage(LocalDate day, String topic, String product, String group, String reader, long records,
                         long bytes, Instant lastReadAt, Map<Integer, Long> offsets) {

    public String key() {
        return day + "|" + topic + "|" + group;
    }
}
