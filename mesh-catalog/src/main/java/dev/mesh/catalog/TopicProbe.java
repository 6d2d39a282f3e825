package dev.mesh.catalog;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.errors.MeshException;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Existence, size and newest record of many topics at once: one describe and three offset requests for the whole
 * mesh, so the product list can show every product's freshness without a consumer per topic.
 */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class TopicProbe {
    private static final long TIMEOUT_SECONDS = 15;

    private final Mesh mesh;

    TopicProbe(Mesh mesh) {
        this.mesh = mesh;
    }

    public TopicState probe(String topic) {
        return probe(List.of(topic)).get(topic);
    }

    public Map<String, TopicState> probe(Collection<String> topics) {
        Map<String, TopicState> out = new LinkedHashMap<>();
        List<TopicDescription> existing = new ArrayList<>();
        Map<String, KafkaFuture<TopicDescription>> described =
                mesh.admin().describeTopics(new LinkedHashSet<>(topics)).topicNameValues();
        for (var e : described.entrySet()) {
            try {
                existing.add(e.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            } catch (ExecutionException ex) {
                // Kafka answers a principal without DESCRIBE as if the topic were missing: it must not learn either way
                if (!(ex.getCause() instanceof UnknownTopicOrPartitionException || ex.getCause() instanceof TopicAuthorizationException)) {
                    throw new MeshException("cannot describe topic " + e.getKey() + ": " + ex.getCause().getMessage(), ex.getCause());
                }
                out.put(e.getKey(), TopicState.missing(e.getKey()));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new MeshException("interrupted describing " + e.getKey(), ex);
            } catch (Exception ex) {
                throw new MeshException("cannot describe topic " + e.getKey() + ": " + ex.getMessage(), ex);
            }
        }
        List<TopicPartition> partitions = existing.stream().flatMap(d -> d.partitions().stream()
                .map(p -> new TopicPartition(d.name(), p.partition()))).toList();
        Map<TopicPartition, ListOffsetsResultInfo> earliest = offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, ListOffsetsResultInfo> latest = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, ListOffsetsResultInfo> newest = offsets(partitions, OffsetSpec.maxTimestamp());
        for (TopicDescription d : existing) {
            long records = 0;
            long end = 0;
            long newestMillis = -1;
            for (var p : d.partitions()) {
                TopicPartition tp = new TopicPartition(d.name(), p.partition());
                records += latest.get(tp).offset() - earliest.get(tp).offset();
                end += latest.get(tp).offset();
                ListOffsetsResultInfo max = newest.get(tp);
                if (max != null && max.offset() >= 0) {
                    newestMillis = Math.max(newestMillis, max.timestamp());
                }
            }
            out.put(d.name(), new TopicState(d.name(), true, d.partitions().size(), records,
                    newestMillis < 0 ? null : Instant.ofEpochMilli(newestMillis), end));
        }
        Map<String, TopicState> ordered = new LinkedHashMap<>();
        topics.forEach(t -> ordered.put(t, out.get(t)));
        return ordered;
    }

    private Map<TopicPartition, ListOffsetsResultInfo> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        try {
            return mesh.admin().listOffsets(request).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted reading offsets", e);
        } catch (Exception e) {
            throw new MeshException("cannot read offsets of " + partitions.size() + " partitions: " + e.getMessage(), e);
        }
    }
}
