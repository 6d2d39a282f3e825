package dev.mesh.schemas;

import dev.mesh.schemas.sales.orders.v1.Currency;
import dev.mesh.schemas.sales.orders.v1.Order;
import dev.mesh.schemas.sales.orders.v1.OrderLine;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GeneratedClassesTest {

    @Test
    void anOrderRoundTripsThroughAvroBinaryWithItsLogicalTypes() throws Exception {
        Order order = Order.newBuilder()
                .setOrderId("o-1").setCustomerId("c-1").setCurrency(Currency.EUR)
                .setTotalAmount(new BigDecimal("19.98"))
                .setLines(List.of(OrderLine.newBuilder().setSku("sku-1").setQuantity(2)
                        .setUnitPrice(new BigDecimal("9.99")).build()))
                .setPlacedAt(Instant.parse("2026-11-21T10:15:30Z"))
                .build();

        ByteBuffer bytes = order.toByteBuffer();
        Order back = Order.fromByteBuffer(bytes);

        assertThat(back).isEqualTo(order);
        assertThat(back.getTotalAmount()).isEqualByComparingTo("19.98");
        assertThat(back.getPlacedAt()).isEqualTo(Instant.parse("2026-11-21T10:15:30Z"));
    }

    @Test
    void schemasTravelInTheJarBesideTheClasses() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/products/sales/orders/v1/Order.avsc")) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes())).contains("\"name\": \"Order\"");
        }
    }
}
