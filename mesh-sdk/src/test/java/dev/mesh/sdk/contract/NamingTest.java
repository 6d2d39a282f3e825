package dev.mesh.sdk.contract;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamingTest {

    @Test
    void namesFollowTheMeshConventions() {
        ProductId orders = ProductId.parse("sales.orders");
        String topic = Naming.topic(orders, 1);
        assertThat(topic).isEqualTo("sales.orders.v1");
        assertThat(Naming.valueSubject(topic)).isEqualTo("sales.orders.v1-value");
        assertThat(Naming.dlqTopic(topic)).isEqualTo("sales.orders.v1.dlq");
        assertThat(Naming.isDlq("sales.orders.v1.dlq")).isTrue();
        assertThat(Naming.isDlq(topic)).isFalse();
    }

    @Test
    void aProductTopicParsesBackToItsProductAndMajor() {
        assertThat(Naming.parseTopic("finance.order-settlements.v2")).hasValueSatisfying(v -> {
            assertThat(v.product()).isEqualTo(new ProductId("finance", "order-settlements"));
            assertThat(v.major()).isEqualTo(2);
            assertThat(v.topic()).isEqualTo("finance.order-settlements.v2");
        });
        assertThat(Naming.parseTopic("_schemas")).isEmpty();
        assertThat(Naming.parseTopic("sales.orders.v1.dlq")).isEmpty();
    }

    @Test
    void badIdsAreRejectedSayingWhatIsWrong() {
        assertThatThrownBy(() -> ProductId.parse("orders")).hasMessageContaining("exactly one dot");
        assertThatThrownBy(() -> ProductId.parse("Sales.orders")).hasMessageContaining("domain 'Sales'");
        assertThatThrownBy(() -> ProductId.parse("sales.orders_v1")).hasMessageContaining("name 'orders_v1'");
        assertThatThrownBy(() -> Naming.topic(ProductId.parse("sales.orders"), 0)).hasMessageContaining("at least 1");
    }
}
