package dev.mesh.catalog.marketplace;

import dev.mesh.catalog.CatalogApplication;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.access.AccessLedger;
import dev.mesh.sdk.access.Marketplace;
import dev.mesh.sdk.audit.AuditLog;
import dev.mesh.sdk.contract.ProductContract;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;

/**
 * The marketplace runs in the catalog: it answers the access requests of the catalog's pages and of
 * {@code mesh access}, as the catalog's principal (which may change ACLs). The products it decides on are the
 * contracts of the schemas jar beside it, as for the registry's policies.
 */
@Requires(env = CatalogApplication.ENV)
@Factory
final class MarketplaceBeans {

    @Singleton
    @Bean(preDestroy = "close")
    AccessLedger ledger(Mesh mesh) {
        AccessLedger.ensureTopic(mesh.admin(), mesh.replicationFactor());
        AccessLedger ledger = new AccessLedger(mesh.kafkaProperties(), mesh.admin(), mesh.replicationFactor());
        // the domains' grants topics hold what the ledger says now, including grants made before they existed
        ledger.read().values().forEach(ledger::mirror);
        return ledger;
    }

    @Singleton
    @Bean(preDestroy = "close")
    AuditLog audit(Mesh mesh) {
        AuditLog.ensureTopic(mesh.admin(), mesh.replicationFactor());
        return new AuditLog(mesh.kafkaProperties());
    }

    @Singleton
    Marketplace marketplace(Mesh mesh, AccessLedger ledger, AuditLog audit) {
        List<ProductContract> contracts = Product.all().stream().map(Product::contract).toList();
        return new Marketplace(mesh.admin(), ledger, audit, () -> contracts, Clock.systemUTC());
    }
}
