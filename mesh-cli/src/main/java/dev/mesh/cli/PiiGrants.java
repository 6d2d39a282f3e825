package dev.mesh.cli;

import dev.mesh.sdk.access.AccessLedger;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.security.MeshPrincipals;

import java.time.Instant;
import java.util.Optional;

/**
 * Who may see a product's PII-tagged fields unmasked: its owner, an admin, or a principal with an active grant that
 * includes PII ({@code _mesh.access}). A courtesy of the tools, not a wall: a principal that may READ the topic
 * has the bytes; field encryption is what keeps PII from raw readers (README, "Access requests").
 */
final class PiiGrants {
    private PiiGrants() {
    }

    /** Why the CLI's principal may not reveal the product's PII, or empty if it may. */
    static Optional<String> refusal(Connection connection, ProductEntry product) {
        Optional<String> principal = connection.principal();
        if (principal.isEmpty()) {
            return Optional.empty(); // a cluster without authentication: nobody to tell apart
        }
        String p = principal.get();
        String owner = MeshPrincipals.principal(product.product().substring(0, product.product().indexOf('.')));
        if (p.equals(owner) || p.equals(MeshPrincipals.principal(MeshPrincipals.ADMIN))) {
            return Optional.empty();
        }
        try (AccessLedger ledger = new AccessLedger(connection.properties())) {
            if (ledger.grantsPii(p, product.topic(), Instant.now())) {
                return Optional.empty();
            }
        }
        return Optional.of("--reveal: " + p + " has no grant on " + product.topic() + " that includes PII; ask its owner: "
                + "mesh access request " + product.product() + " --pii --reason '...'");
    }
}
