package dev.mesh.sdk.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Map;

/**
 * One change to the mesh, as {@code _mesh.audit} keeps it.
 *
 * @param principal who did it, as authenticated (e.g. User:sales)
 * @param action    what, e.g. access.approve, registry.register, acl.apply, dlq.redrive
 * @param product   the product topic it concerns, if any (e.g. sales.customers.v1)
 * @param details   what changed, e.g. {subject, version} or {request, for}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuditEvent(Instant at, String principal, String action, String product, Map<String, Object> details) {
    public AuditEvent {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
