package dev.mesh.sdk;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A {@code mesh.instance} that Kafka would refuse as a group instance id is refused when the mesh is made, by name. */
class MeshInstanceTest {
    @Test
    void anInstanceNameKafkaWouldRefuseStopsTheConnectNamingTheSetting() {
        assertThatThrownBy(() -> Mesh.connect(Map.of("bootstrap.servers", "127.0.0.1:1", Mesh.INSTANCE, "finance 2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mesh.instance is 'finance 2': expected " + Mesh.INSTANCE_EXPECTED);
    }

    @Test
    void aSubscribersMemberIdStaysWithinKafkasLimitStableAndApartPerTopic() {
        assertThat(Subscriber.memberId("finance-1", "sales.orders.v2")).isEqualTo("finance-1-sales.orders.v2");
        String instance = "i".repeat(200); // the longest mesh.instance, with topics Kafka allows (249 characters)
        String v1 = "sales." + "x".repeat(240) + ".v1";
        String v2 = "sales." + "x".repeat(240) + ".v2";
        String id = Subscriber.memberId(instance, v1);
        assertThat(id).hasSize(Subscriber.MAX_MEMBER_ID).matches("[A-Za-z0-9._-]+").startsWith(instance + "-sales.")
                .isEqualTo(Subscriber.memberId(instance, v1))
                .isNotEqualTo(Subscriber.memberId(instance, v2));
    }
}
