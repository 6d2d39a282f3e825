package dev.mesh.sdk.ops;

import java.time.Duration;
import java.util.List;
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

    /** @param committed the group's committed offset, -1 when it has committed none */
    public record PartitionLag(int partition, long committed, long end, long lag, Optional<Duration> oldestUnread) {
    }
}
