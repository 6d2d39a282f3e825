package dev.mesh.catalog.slo;

import dev.mesh.catalog.CatalogApplication;
import dev.mesh.sdk.ops.MeshOps;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A derived product's latency now: the largest {@code mesh.latency-ms} its Streams app stamped on the newest few
 * records of each partition (committed ones: the catalog reads read-committed).
 */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class DerivedLatency {
    /** Records read back from each partition's end: commit markers take offsets too. */
    private static final int NEWEST = 20;
    private static final Duration READ = Duration.ofSeconds(5);

    private final MeshOps ops;

    DerivedLatency(MeshOps ops) {
        this.ops = ops;
    }

    /** Empty when the topic holds no stamped record. */
    public Optional<Duration> of(String topic) {
        return ops.topics().read(consumer -> newest(consumer, topic));
    }

    private static Optional<Duration> newest(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, READ);
        if (infos == null || infos.isEmpty()) {
            return Optional.empty();
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ);
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, READ);
        Map<TopicPartition, Long> wanted = new HashMap<>();
        for (TopicPartition tp : partitions) {
            long from = Math.max(starts.get(tp), ends.get(tp) - NEWEST);
            if (from < ends.get(tp)) {
                consumer.seek(tp, from);
                wanted.put(tp, ends.get(tp));
            }
        }
        consumer.pause(partitions.stream().filter(tp -> !wanted.containsKey(tp)).toList());
        long worst = -1;
        long deadline = System.nanoTime() + READ.toNanos();
        while (!wanted.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                Header h = r.headers().lastHeader(dev.mesh.sdk.ProductStreams.LATENCY_HEADER);
                if (h != null) {
                    try {
                        worst = Math.max(worst, Long.parseLong(new String(h.value(), StandardCharsets.US_ASCII)));
                    } catch (NumberFormatException e) {
                        // not a stamp of ours
                    }
                }
            }
            wanted.keySet().removeIf(tp -> consumer.position(tp) >= wanted.get(tp));
        }
        return worst < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(worst));
    }
}
