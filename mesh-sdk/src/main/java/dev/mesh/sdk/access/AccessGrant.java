package dev.mesh.sdk.access;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * A request for read access to a product and what became of it: the record kept per request in
 * {@code _mesh.access}. Approved, it is a grant: the principal reads the product (ACLs provisioned), and with
 * {@code pii} may see its PII-tagged fields unmasked, until it is revoked or {@code expiresAt} passes.
 *
 * @param product the product's topic, e.g. sales.customers.v1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AccessGrant(String id, String product, String principal, String reason, boolean pii, Status status,
                          String requestedBy, Instant requestedAt, String decidedBy, Instant decidedAt,
                          Instant expiresAt, String note) {

    public enum Status {
        PENDING, APPROVED, DENIED, REVOKED, EXPIRED
    }

    /** Whether the principal may read under it at {@code now}. */
    public boolean isActive(Instant now) {
        return status == Status.APPROVED && (expiresAt == null || now.isBefore(expiresAt));
    }

    public AccessGrant decided(Status to, String by, Instant at, String why) {
        return new AccessGrant(id, product, principal, reason, pii, to, requestedBy, requestedAt, by, at, expiresAt, why);
    }
}
