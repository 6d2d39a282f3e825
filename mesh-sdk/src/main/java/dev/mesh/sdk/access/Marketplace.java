package dev.mesh.sdk.access;

import dev.mesh.sdk.audit.AuditEvent;
import dev.mesh.sdk.audit.AuditLog;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.security.MeshPrincipals;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Access to products as a marketplace: anyone signed in asks for a principal to read a product, with a reason; the
 * product's owner (or an admin) approves, denies or revokes. An approval provisions the principal's ACLs (the same
 * ones a contract's {@code access.readers} would give), a revocation or expiry removes those no contract or other
 * grant still implies, so the principal's next fetch fails. Every step is kept in {@code _mesh.access} and told to
 * {@code _mesh.audit} with the principal who took it. Runs where a principal may change ACLs (the catalog service).
 */
public final class Marketplace {
    private static final Pattern PRINCIPAL = Pattern.compile("User:[A-Za-z0-9._@-]+");
    private static final int MAX_REASON = 500;
    private static final Duration LONGEST = Duration.ofDays(3_650);

    private final Admin admin;
    private final AccessLedger ledger;
    private final AuditLog audit;
    private final Supplier<Collection<ProductContract>> contracts;
    private final Clock clock;

    public Marketplace(Admin admin, AccessLedger ledger, AuditLog audit, Supplier<Collection<ProductContract>> contracts, Clock clock) {
        this.admin = admin;
        this.ledger = ledger;
        this.audit = audit;
        this.contracts = contracts;
        this.clock = clock;
    }

    /** A request that cannot be made or decided as asked; {@link #status()} is the HTTP status that says why. */
    public static final class Refused extends MeshException {
        private final int status;
        private final String field;

        public Refused(int status, String field, String message) {
            super(message);
            this.status = status;
            this.field = field;
        }

        public int status() {
            return status;
        }

        /** The request field at fault, or empty. */
        public String field() {
            return field;
        }
    }

    /** Every request and grant, optionally of one product (a topic), newest first. */
    public List<AccessGrant> list(Optional<String> product) {
        List<AccessGrant> all = new java.util.ArrayList<>(ledger.read().values());
        java.util.Collections.reverse(all);
        return all.stream().filter(g -> product.map(g.product()::equals).orElse(true)).toList();
    }

    /** Who reads the product by its contract (owner, access.readers, classification); empty for a product it does not know. */
    public Set<String> contractReaders(String product) {
        return contracts.get().stream().filter(c -> c.topicName().equals(product)).findFirst()
                .map(c -> AccessPlan.readers(c, contracts.get().stream().map(o -> o.product().domain())
                        .collect(java.util.stream.Collectors.toSet())))
                .orElse(Set.of());
    }

    /**
     * Asks that {@code principal} may read {@code product}.
     *
     * @param validFor how long a grant lasts once approved; empty: until revoked
     */
    public synchronized AccessGrant request(String caller, String product, String principal, String reason, boolean pii,
                                            Optional<Duration> validFor) {
        ProductContract contract = contract(product, "product");
        if (principal == null || !PRINCIPAL.matcher(principal).matches()) {
            throw new Refused(400, "principal", "'" + principal + "' is not a principal; expected User:<name>, e.g. User:finance");
        }
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
            throw new Refused(400, "reason", "say why access is needed, in 1 to " + MAX_REASON + " characters");
        }
        if (validFor.isPresent() && (validFor.get().isNegative() || validFor.get().isZero() || validFor.get().compareTo(LONGEST) > 0)) {
            throw new Refused(400, "validFor", "a grant lasts a positive time of at most " + LONGEST.toDays() + "d, e.g. 30d;"
                    + " leave it out for a grant until revoked");
        }
        Instant now = clock.instant();
        AccessGrant grant = new AccessGrant("ar-" + UUID.randomUUID().toString().substring(0, 8), contract.topicName(),
                principal, reason.strip(), pii, AccessGrant.Status.PENDING, caller, now, null, null,
                validFor.map(now::plus).orElse(null), null);
        ledger.write(grant);
        record(caller, "access.request", grant, Map.of("pii", pii));
        return grant;
    }

    public synchronized AccessGrant approve(String caller, String id, String note) {
        AccessGrant grant = pending(id, "approve");
        ProductContract contract = decidable(caller, grant);
        Instant now = clock.instant();
        // a validity counts from the approval
        Instant expires = grant.expiresAt() == null ? null : now.plus(Duration.between(grant.requestedAt(), grant.expiresAt()));
        AccessGrant approved = new AccessGrant(grant.id(), grant.product(), grant.principal(), grant.reason(), grant.pii(),
                AccessGrant.Status.APPROVED, grant.requestedBy(), grant.requestedAt(), caller, now, expires, note);
        ClusterAcls.create(admin, AccessPlan.reading(grant.principal(), contract));
        ledger.write(approved);
        record(caller, "access.approve", approved, Map.of("pii", grant.pii()));
        return approved;
    }

    public synchronized AccessGrant deny(String caller, String id, String note) {
        AccessGrant grant = pending(id, "deny");
        decidable(caller, grant);
        AccessGrant denied = grant.decided(AccessGrant.Status.DENIED, caller, clock.instant(), note);
        ledger.write(denied);
        record(caller, "access.deny", denied, Map.of());
        return denied;
    }

    public synchronized AccessGrant revoke(String caller, String id, String note) {
        AccessGrant grant = find(id);
        if (grant.status() != AccessGrant.Status.APPROVED) {
            throw new Refused(409, "", id + " is " + grant.status().name().toLowerCase() + "; only an approved grant can be revoked");
        }
        decidable(caller, grant);
        return end(grant, AccessGrant.Status.REVOKED, caller, note, "access.revoke");
    }

    /** Ends every approved grant past its expiry, as the platform; returns those it ended. */
    public synchronized List<AccessGrant> expire() {
        Instant now = clock.instant();
        return ledger.read().values().stream()
                .filter(g -> g.status() == AccessGrant.Status.APPROVED && g.expiresAt() != null && !now.isBefore(g.expiresAt()))
                .map(g -> end(g, AccessGrant.Status.EXPIRED, MeshPrincipals.principal(MeshPrincipals.CATALOG), "expired", "access.expire"))
                .toList();
    }

    private AccessGrant end(AccessGrant grant, AccessGrant.Status to, String by, String note, String action) {
        ProductContract contract = contract(grant.product(), "product");
        AccessGrant ended = grant.decided(to, by, clock.instant(), note);
        // what the contracts and the other grants still give stays
        List<AccessGrant> others = ledger.active(clock.instant()).stream().filter(g -> !g.id().equals(grant.id())).toList();
        Set<AclBinding> kept = AccessPlan.of(contracts.get(), others).bindings();
        Set<AclBinding> gone = new HashSet<>(AccessPlan.reading(grant.principal(), contract));
        gone.removeAll(kept);
        ClusterAcls.delete(admin, gone);
        ledger.write(ended);
        record(by, action, ended, Map.of("aclsRemoved", gone.size()));
        return ended;
    }

    private AccessGrant find(String id) {
        AccessGrant grant = ledger.read().get(id);
        if (grant == null) {
            throw new Refused(404, "id", "no access request " + id + "; mesh access list shows them");
        }
        return grant;
    }

    private AccessGrant pending(String id, String what) {
        AccessGrant grant = find(id);
        if (grant.status() != AccessGrant.Status.PENDING) {
            throw new Refused(409, "", "cannot " + what + " " + id + ": it is already " + grant.status().name().toLowerCase()
                    + (grant.decidedBy() == null ? "" : " (by " + grant.decidedBy() + ")"));
        }
        return grant;
    }

    /** The product's contract, if the caller owns it or is an admin. */
    private ProductContract decidable(String caller, AccessGrant grant) {
        ProductContract contract = contract(grant.product(), "product");
        AccessDecision.Verdict verdict = new AccessDecision(List.of(contract), List::of, clock).decide(caller, contract);
        if (!verdict.allowed()) {
            throw new Refused(403, "", verdict.explanation());
        }
        return contract;
    }

    private ProductContract contract(String product, String field) {
        for (ProductContract c : contracts.get()) {
            if (c.topicName().equals(product) || c.product().toString().equals(product) && isLatest(c)) {
                return c;
            }
        }
        throw new Refused(404, field, "no product " + product + " in the mesh; e.g. sales.customers or sales.customers.v1");
    }

    private boolean isLatest(ProductContract c) {
        return contracts.get().stream().filter(o -> o.product().equals(c.product())).allMatch(o -> o.major() <= c.major());
    }

    private void record(String by, String action, AccessGrant grant, Map<String, Object> more) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("request", grant.id());
        details.put("for", grant.principal());
        details.put("status", grant.status().name());
        if (grant.note() != null) {
            details.put("note", grant.note());
        }
        details.putAll(more);
        audit.append(new AuditEvent(clock.instant(), by, action, grant.product(), details));
    }
}
