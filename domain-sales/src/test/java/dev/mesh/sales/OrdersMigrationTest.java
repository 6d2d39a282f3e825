package dev.mesh.sales;

import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.sales.orders.v2.Currency;
import dev.mesh.schemas.sales.orders.v2.Money;
import dev.mesh.schemas.sales.orders.v2.Order;
import dev.mesh.schemas.sales.orders.v2.OrderLine;
import dev.mesh.schemas.sales.orders.v2.SalesChannel;
import dev.mesh.sdk.MigrationBridge;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.intake.RecordRefusedException;
import dev.mesh.sdk.migration.MajorMigration;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** sales.orders v2's declared migration, as its bridge and v1's intake run it: v2 → v1 → v2 gives the same order. */
class OrdersMigrationTest {
    private final MajorMigration migration = MigrationBridge.from(SalesProducts.ORDERS_V2).orElseThrow().migration();

    @Test
    void everyOrderDowngradesToV1AndUpgradesBackUnchanged() {
        for (Currency currency : Currency.values()) {
            Order v2 = new Order("o-" + currency, "c-1", new Money(new BigDecimal("123456789.05"), currency),
                    List.of(new OrderLine("sku-mug", 2, new BigDecimal("4.50")), new OrderLine("sku-pen", 1, new BigDecimal("0.01"))),
                    SalesChannel.MARKETPLACE, Instant.parse("2026-12-01T10:15:30.123Z"));

            dev.mesh.schemas.sales.orders.v1.Order v1 = migration.downgrade(v2, dev.mesh.schemas.sales.orders.v1.Order.class);
            assertThat(v1.getTotalAmount()).isEqualByComparingTo("123456789.05");
            assertThat(v1.getCurrency().name()).isEqualTo(currency.name());
            assertThat(v1.getLines()).hasSize(2);
            assertThat(v1.getChannel().name()).isEqualTo("MARKETPLACE");
            assertThat(v1.getPlacedAt()).isEqualTo(v2.getPlacedAt());

            assertThat(migration.upgrade(v1, Order.class)).isEqualTo(v2);
        }
    }

    @Test
    void aMappingThatLosesARequiredFieldIsRefusedNamingItAndTheContract() {
        ProductContract v2 = SalesProducts.ORDERS_V2.contract();
        ProductContract.Migration declared = v2.migration().orElseThrow();
        ProductContract broken = new ProductContract(v2.origin(), v2.product(), v2.version(), v2.owner(), v2.description(),
                v2.keyField(), v2.schema(), v2.topic(), v2.compatibility(), v2.classification(), v2.classificationReason(),
                v2.tags(), v2.slo(), v2.quality(), v2.inputs(), v2.eventTime(), v2.limits(), v2.intake(), v2.generator(),
                v2.access(), v2.deprecated(), Optional.of(new ProductContract.Migration(declared.from(), declared.upgrade(),
                        "$sift($, function($v, $k) {$k != 'amount'})")));
        MajorMigration lossy = MajorMigration.between(SalesProducts.ORDERS.contract(), broken);
        Order v2Order = new Order("o-1", "c-1", new Money(new BigDecimal("5.00"), Currency.EUR),
                List.of(new OrderLine("sku-mug", 1, new BigDecimal("5.00"))), SalesChannel.WEB, Instant.now());

        assertThatThrownBy(() -> lossy.downgrade(v2Order, dev.mesh.schemas.sales.orders.v1.Order.class))
                .isInstanceOf(RecordRefusedException.class)
                .hasMessageContaining("totalAmount").hasMessageContaining("currency")
                .hasMessageContaining("downgrade sales.orders.v2 → sales.orders.v1 declared in " + v2.origin());
    }
}
