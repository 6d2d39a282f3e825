package dev.mesh.sdk.ops;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How far a consumer group is behind on one topic, per partition and in all, in records and in time. */
public record ConsumerLag(String group, String topic, String product, List<PartitionLag> partitions) {

    public long records() {
        return partitions.stream().mapToLong(PartitionLag::lag).sum();
    }

    /** Age of the oldest record the group has not read yet, empty when it has read everything. */
    public Optional<Duration> timeLag() {
        return partitions.stream().map(PartitionLag::oldestUnread).flatMap(Optional::stream).max(Duration::compareTo);
    }

    /** The lag as {@code mesh lag --json} prints it and the catalog's {@code /api/ops/lag} serves it. */
    public Map<String, Object> row() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("group", group);
        row.put("topic", topic);
        row.put("product", product);
        row.put("lag", records());
        row.put("timeLagSeconds", timeLag().map(Duration::getSeconds).orElse(0L));
        row.put("partitions", partitions.stream().map(p -> Map.of("partition", p.partition(), "committed", p.committed(),
                "end", p.end(), "lag", p.lag(), "timeLagSeconds", p.oldestUnread().map(Duration::getSeconds).orElse(0L))).toList());
        return row;
    }

    /** @param committed the group's committed offset, -1 when it has committed none */
    public record PartitionLag(int partition, long committed, long end, long lag, Optional<Duration> oldestUnread) {
    }
}
