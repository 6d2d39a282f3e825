package dev.mesh.catalog.web;

import dev.mesh.catalog.CatalogApplication;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.access.AccessDecision;
import dev.mesh.sdk.access.AccessGrant;
import dev.mesh.sdk.access.AccessLedger;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.kafka.FollowedTopics;
import dev.mesh.service.security.MeshSecurity;
import dev.mesh.service.security.RouteAccess;
import dev.mesh.service.security.RouteRules;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog's doors: the one {@link AccessDecision} (every contract of the schemas jar, the marketplace's grants as
 * followed) and the rule of every route of the catalog. Discovery (what
 * products there are, their contracts, schemas, lineage, quality counts) is for every principal; a product's records
 * for its readers; the audit trail for admins; access requests each for those they concern (filtered by the
 * controller).
 */
@Requires(env = CatalogApplication.ENV)
@Factory
final class CatalogAccess {

    @Singleton
    AccessDecision decision(LedgerFollower ledger) {
        Clock clock = Clock.systemUTC();
        return new AccessDecision(Product.all().stream().map(Product::contract).toList(), ledger::grants, clock);
    }

    /** The ledger followed as it changes: a revoked grant stops granting as soon as its record is polled. */
    @Singleton
    @Requires(env = CatalogApplication.ENV)
    static final class LedgerFollower implements AutoCloseable {
        private final FollowedTopics<Map<String, Map<String, AccessGrant>>> ledger;

        LedgerFollower(AccessLedger ledger) {
            this.ledger = ledger.follow();
        }

        Collection<AccessGrant> grants() {
            return ledger.current().getOrDefault(Naming.ACCESS_TOPIC, Map.of()).values();
        }

        @Override
        @PreDestroy
        public void close() {
            ledger.close();
        }
    }

    @Singleton
    @Named("catalog")
    @Requires(property = MeshSecurity.REALM)
    RouteRules routes(AccessDecision decision, dev.mesh.catalog.CatalogSnapshots snapshots) {
        return () -> {
            Map<String, RouteAccess> r = new LinkedHashMap<>();
            RouteAccess anyone = RouteAccess.signedIn();
            for (String discovery : new String[]{"/", "/products/{id}", "/lineage", "/lineage/{id}", "/domains", "/sql",
                    "/api/products", "/api/search", "/api/products/{id}", "/api/products/{id}/schema",
                    "/api/products/{id}/throughput", "/api/products/{id}/quality", "/api/lineage", "/api/lineage/{id}",
                    "/api/domains", "/api/whoami", "/api/access", "/api/products/{id}/access", "/api/ops/products",
                    "/api/ops/products/{id}", "/api/slo", "/api/slo/{id}", "/api/usage"}) {
                r.put("GET " + discovery, anyone);
            }
            r.put("POST /api/products/{id}/impact", anyone); // computes, changes nothing
            r.put("POST /api/sql", anyone); // the engine decides each product it reads, as the caller
            r.put("POST /api/v1/lineage", anyone); // kept under the caller: nobody reports for another
            r.put("GET /api/products/{id}/records", RouteAccess.decided("readers of the product", (p, v, request) -> {
                var contract = decision.product(v.get("id"));
                if (contract.isPresent()) {
                    return decision.read(p, contract.get());
                }
                // a product of the catalog whose contract is not in this catalog's schemas jar: by its entry
                var entry = snapshots.current().product(v.get("id")).or(() -> snapshots.current().latest(v.get("id")));
                return entry.map(e -> decision.read(p, e.topic(), e.classification()))
                        .orElse(new AccessDecision.Verdict(true, "", Optional.empty())); // nothing to show: the API's 404
            }));
            // the marketplace decides who may request and decide, per request
            r.put("POST /api/access/requests", anyone);
            r.put("POST /api/access/{id}/{decision}", anyone);
            // the whole trail for admins; one product's trail also for its owner (the product page shows it)
            r.put("GET /api/audit", RouteAccess.decided("admins, or the owner for ?product=", (p, v, request) -> {
                var admin = decision.administer(p);
                String product = request.getParameters().get("product");
                if (admin.allowed() || product == null) {
                    return admin;
                }
                return decision.product(product).map(c -> decision.decide(p, c)).orElse(admin);
            }));
            r.put("GET /api/ops/products/{id}/dlq", RouteAccess.decided("the product's owner and admins", (p, v, request) ->
                    decision.product(v.get("id")).map(c -> decision.ownerOrAdmin(p, c, "see the dead letters of"))
                            .orElseGet(() -> decision.administer(p))));
            r.put("GET /api/ops/lag", RouteAccess.decided("admins", (p, v, request) -> decision.administer(p)));
            r.put("GET /static/**", RouteAccess.open());
            r.put("GET /webjars/cytoscape/**", RouteAccess.open());
            return r;
        };
    }
}
