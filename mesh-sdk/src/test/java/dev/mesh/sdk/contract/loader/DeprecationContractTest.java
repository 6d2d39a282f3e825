package dev.mesh.sdk.contract.loader;

import dev.mesh.sdk.contract.ContractException;
import dev.mesh.sdk.contract.ProductContract;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeprecationContractTest {
    private static final String SCHEMA = "{\"type\": \"record\", \"name\": \"R\", \"fields\": [{\"name\": \"id\", \"type\": \"string\"}]}";

    private static ProductContract load(String deprecated) {
        String yaml = "product: sales.orders\nversion: 1.2.0\nowner: {team: t, contact: t@shop.example}\n"
                + "description: Orders.\nkey: id\nschema: R.avsc\n" + deprecated;
        return ContractLoader.parse("orders/contract.yaml", yaml, name -> Optional.of(SCHEMA));
    }

    @Test
    void aDeprecatedMajorNamesItsSuccessorAndSunset() {
        ProductContract c = load("deprecated: {successor: sales.orders.v2, sunset: 2027-06-30}\n");
        ProductContract.Deprecation d = c.deprecated().orElseThrow();
        assertThat(d.successor()).isEqualTo("sales.orders.v2");
        assertThat(d.sunset()).isEqualTo(LocalDate.of(2027, 6, 30));
        assertThat(d.isPast(Instant.parse("2027-06-30T23:59:59Z"))).isFalse();
        assertThat(d.isPast(Instant.parse("2027-07-01T00:00:00Z"))).isTrue();
        assertThat(d.daysLeft(Instant.parse("2027-06-20T08:00:00Z"))).isEqualTo(10);
    }

    @Test
    void theSuccessorIsALaterMajorOfTheSameProductAndTheSunsetADate() {
        assertThatThrownBy(() -> load("deprecated: {successor: sales.returns.v2, sunset: 2027-06-30}\n"))
                .isInstanceOf(ContractException.class)
                .hasMessageContaining("orders/contract.yaml:7: field 'deprecated.successor'")
                .hasMessageContaining("expected e.g. sales.orders.v2");
        assertThatThrownBy(() -> load("deprecated: {successor: sales.orders.v1, sunset: 2027-06-30}\n"))
                .hasMessageContaining("not a later major");
        assertThatThrownBy(() -> load("deprecated: {successor: sales.orders.v2, sunset: next summer}\n"))
                .hasMessageContaining("'next summer' is not a date; expected YYYY-MM-DD");
    }

    private static ProductContract loadV2(String migration) {
        return ContractLoader.parse("orders/v2/contract.yaml", "product: sales.orders\nversion: 2.0.0\n"
                + "owner: {team: t, contact: t@shop.example}\ndescription: Orders.\nkey: id\nschema: R.avsc\n" + migration,
                name -> Optional.of(SCHEMA));
    }

    @Test
    void aLaterMajorDeclaresItsMigrationFromAnEarlierOneInJsonata() {
        ProductContract c = loadV2("migration:\n  from: sales.orders.v1\n  upgrade: \"$merge([$, {'id': $.legacyId}])\"\n"
                + "  downgrade: \"$\"\n");
        ProductContract.Migration m = c.migration().orElseThrow();
        assertThat(m.fromTopic()).isEqualTo("sales.orders.v1");
        assertThat(m.upgrade()).isEqualTo("$merge([$, {'id': $.legacyId}])");
        assertThat(load("").migration()).isEmpty();
    }

    @Test
    void aMigrationComesFromAnEarlierMajorOfTheSameProductInExpressionsThatParse() {
        assertThatThrownBy(() -> loadV2("migration: {from: sales.returns.v1, upgrade: $, downgrade: $}\n"))
                .isInstanceOf(ContractException.class)
                .hasMessageContaining("orders/v2/contract.yaml:7: field 'migration.from'")
                .hasMessageContaining("not an earlier major of this product; expected e.g. sales.orders.v1");
        assertThatThrownBy(() -> loadV2("migration: {from: sales.orders.v3, upgrade: $, downgrade: $}\n"))
                .hasMessageContaining("not an earlier major");
        assertThatThrownBy(() -> loadV2("migration:\n  from: sales.orders.v1\n  upgrade: \"$merge([$\"\n  downgrade: $\n"))
                .hasMessageContaining("orders/v2/contract.yaml:9: field 'migration.upgrade'")
                .hasMessageContaining("not a JSONata expression");
        assertThatThrownBy(() -> loadV2("migration: {from: sales.orders.v1, upgrade: $}\n"))
                .hasMessageContaining("migration.downgrade");
    }
}
