package dev.mesh.registry.leader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Elects the registry leader inside Kafka's group protocol, as Confluent's registry does: each member's
 * subscription carries its id, URL, eligibility and the leader it currently follows; the group's assignor keeps
 * that leader while it is still an eligible member (so a joining instance never moves leadership), else picks the
 * eligible member with the smallest id. The leader is assigned the store topic's partition (which it pauses: it
 * reads the store elsewhere), the others nothing.
 */
public final class LeaderAssignor implements ConsumerPartitionAssignor, Configurable {
    static final String NAME = "mesh-registry-leader";
    /** The {@link LeaderElection} this assignor reports to, passed through the consumer's configs. */
    static final String ELECTION_CONFIG = "mesh.registry.election";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LeaderElection election;

    @Override
    public void configure(Map<String, ?> configs) {
        election = (LeaderElection) Objects.requireNonNull(configs.get(ELECTION_CONFIG), ELECTION_CONFIG);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        ObjectNode me = JSON.createObjectNode();
        me.put("id", election.instanceId());
        me.put("url", election.url());
        me.put("eligible", election.eligible());
        election.leader().ifPresent(l -> me.put("following", l.instanceId()));
        return ByteBuffer.wrap(write(me));
    }

    private record Member(String id, String url, boolean eligible, String following) {
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        Map<String, Member> members = new HashMap<>();
        groupSubscription.groupSubscription().forEach((memberId, subscription) -> {
            JsonNode m = read(subscription.userData());
            members.put(memberId, new Member(m.path("id").asText(), m.path("url").asText(),
                    m.path("eligible").asBoolean(false), m.path("following").asText(null)));
        });
        List<Member> eligible = members.values().stream().filter(Member::eligible)
                .sorted(Comparator.comparing(Member::id)).toList();
        Optional<Member> current = members.values().stream().map(Member::following).filter(Objects::nonNull)
                .flatMap(id -> eligible.stream().filter(e -> e.id().equals(id))).findFirst();
        Optional<Member> chosen = current.or(() -> eligible.stream().findFirst());

        ObjectNode result = JSON.createObjectNode();
        chosen.ifPresent(c -> {
            result.put("leaderId", c.id());
            result.put("leaderUrl", c.url());
        });
        ByteBuffer userData = ByteBuffer.wrap(write(result));
        List<TopicPartition> store = groupSubscription.groupSubscription().values().stream()
                .flatMap(s -> s.topics().stream()).distinct().map(t -> new TopicPartition(t, 0)).toList();
        Map<String, Assignment> assignments = new HashMap<>();
        members.forEach((memberId, m) -> assignments.put(memberId, new Assignment(
                chosen.filter(c -> c == m).isPresent() ? store : List.of(), userData.duplicate())));
        return new GroupAssignment(assignments);
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        JsonNode a = read(assignment.userData());
        election.elected(a.hasNonNull("leaderId")
                ? Optional.of(new Leader(a.get("leaderId").asText(), a.path("leaderUrl").asText()))
                : Optional.empty(), metadata.generationId());
    }

    private static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(ByteBuffer buffer) {
        if (buffer == null || !buffer.hasRemaining()) {
            return JSON.createObjectNode();
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
