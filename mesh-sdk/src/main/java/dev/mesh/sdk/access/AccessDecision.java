package dev.mesh.sdk.access;

import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.security.MeshPrincipals;

import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The one answer to "may this principal read, write, reveal or decide on this product", for every door of the mesh:
 * a service's lookups and intake, the catalog's API and pages, the CLI (asked through the catalog) and SQL. It is
 * derived from what the Kafka ACLs are derived from ({@link AccessPlan}: the contracts' owners and readers by
 * {@code access.readers} and classification) and the marketplace's grants, checked against the clock at the moment of
 * asking: a grant past its {@code expiresAt} grants nothing, whatever the ACLs still say.
 */
public final class AccessDecision {
    private final Map<String, ProductContract> byTopic = new LinkedHashMap<>();
    private final Map<String, ProductContract> latest = new LinkedHashMap<>();
    private final Set<String> domains = new TreeSet<>();
    private final Supplier<? extends Collection<AccessGrant>> grants;
    private final Clock clock;

    /**
     * @param contracts every product of the mesh (the domains of the mesh are theirs)
     * @param grants    the marketplace's grants as last read (any status: only active ones count)
     */
    public AccessDecision(Collection<ProductContract> contracts, Supplier<? extends Collection<AccessGrant>> grants, Clock clock) {
        this.grants = grants;
        this.clock = clock;
        for (ProductContract c : contracts) {
            byTopic.put(c.topicName(), c);
            domains.add(c.product().domain());
        }
        contracts.stream().sorted(Comparator.comparingInt(ProductContract::major))
                .forEach(c -> latest.put(c.product().toString(), c));
    }

    /** A decision: allowed, or why not and what the principal could do about it. */
    public record Verdict(boolean allowed, String reason, Optional<String> remedy) {
        static final Verdict ALLOWED = new Verdict(true, "", Optional.empty());

        static Verdict refused(String reason, String remedy) {
            return new Verdict(false, reason, Optional.ofNullable(remedy));
        }

        /** The reason and, where there is one, the remedy: one line for an error answer. */
        public String explanation() {
            return reason + remedy.map(r -> "; " + r).orElse("");
        }
    }

    /** A product by topic ({@code sales.orders.v1}) or id ({@code sales.orders}: its latest major). */
    public Optional<ProductContract> product(String idOrTopic) {
        return Optional.ofNullable(byTopic.get(idOrTopic)).or(() -> Optional.ofNullable(latest.get(idOrTopic)));
    }

    public Collection<ProductContract> products() {
        return byTopic.values();
    }

    public static boolean isAdmin(String principal) {
        return principal(principal).equals(MeshPrincipals.principal(MeshPrincipals.ADMIN));
    }

    /** Whether the principal is the product's owner (its domain's principal). */
    public static boolean owns(String principal, ProductContract product) {
        return principal(principal).equals(MeshPrincipals.principal(product.product().domain()));
    }

    /** May the principal read the product's records (its topic, a lookup, the catalog's records, SQL)? */
    public Verdict read(String principal, ProductContract product) {
        String p = principal(principal);
        if (isAdmin(p) || owns(p, product)) {
            return Verdict.ALLOWED;
        }
        Set<String> readers = AccessPlan.readers(product, domains);
        if (readers.contains("User:*") || readers.contains(p) || activeGrant(p, product, false)) {
            return Verdict.ALLOWED;
        }
        return Verdict.refused(p + " may not read " + product.topicName() + ": its contract lets " + readers
                + " read it and " + p + " holds no active grant on it", request(product, false));
    }

    /**
     * Reading a product the mesh's contracts do not hold, known only by its catalog entry (which only its owner's
     * domain can write): its owner, admins, active grants, and its classification's readers (public: anyone; internal:
     * every domain of the mesh; confidential, restricted: nobody else).
     */
    public Verdict read(String principal, String topic, String classification) {
        String p = principal(principal);
        var parsed = dev.mesh.sdk.contract.Naming.parseTopic(topic);
        if (parsed.isEmpty()) {
            return Verdict.refused("no product topic " + topic, null);
        }
        String owner = MeshPrincipals.principal(parsed.get().product().domain());
        boolean internal = "internal".equalsIgnoreCase(classification)
                && domains.stream().anyMatch(d -> MeshPrincipals.principal(d).equals(p));
        boolean granted = grants.get().stream().anyMatch(g -> g.isActive(clock.instant()) && g.principal().equals(p)
                && g.product().equals(topic));
        if (isAdmin(p) || p.equals(owner) || "public".equalsIgnoreCase(classification) || internal || granted) {
            return Verdict.ALLOWED;
        }
        return Verdict.refused(p + " may not read " + topic + " (" + classification + ")",
                "ask its owner: " + requestCommand(parsed.get().product().toString(), false));
    }

    /** May the principal publish the product (its owner or an admin, as the ACLs on its topic say)? */
    public Verdict write(String principal, ProductContract product) {
        String p = principal(principal);
        if (isAdmin(p) || owns(p, product)) {
            return Verdict.ALLOWED;
        }
        return Verdict.refused(p + " may not publish " + product.product() + "; only its owner "
                + MeshPrincipals.principal(product.product().domain()) + " or an admin may", null);
    }

    /** May the principal see the product's PII-tagged fields unmasked: its owner, an admin, or an active PII grant. */
    public Verdict reveal(String principal, ProductContract product) {
        String p = principal(principal);
        if (isAdmin(p) || owns(p, product) || activeGrant(p, product, true)) {
            return Verdict.ALLOWED;
        }
        return Verdict.refused(p + " has no grant on " + product.topicName() + " that includes PII",
                request(product, true));
    }

    /**
     * Seeing PII of a product known by its topic alone (the DEK Registry knows subjects, not contracts): its owner
     * (the domain the topic is named under), an admin, or an active grant on the topic that includes PII.
     */
    public Verdict reveal(String principal, String topic) {
        String p = principal(principal);
        var parsed = dev.mesh.sdk.contract.Naming.parseTopic(topic);
        if (parsed.isEmpty()) {
            return isAdmin(p) ? Verdict.ALLOWED : Verdict.refused("no product topic " + topic, null);
        }
        String owner = MeshPrincipals.principal(parsed.get().product().domain());
        java.time.Instant now = clock.instant();
        if (isAdmin(p) || p.equals(owner) || grants.get().stream().anyMatch(g -> g.isActive(now)
                && g.principal().equals(p) && g.product().equals(topic) && g.pii())) {
            return Verdict.ALLOWED;
        }
        return Verdict.refused(p + " has no grant on " + topic + " that includes PII",
                "ask its owner: " + requestCommand(parsed.get().product().toString(), true));
    }

    /** May the principal approve, deny or revoke access to the product: its owner or an admin. */
    public Verdict decide(String principal, ProductContract product) {
        return ownerOrAdmin(principal, product, "decide on access to");
    }

    /** May the principal do {@code what} to the product (e.g. "see the dead letters of"): its owner or an admin. */
    public Verdict ownerOrAdmin(String principal, ProductContract product, String what) {
        String p = principal(principal);
        if (isAdmin(p) || owns(p, product)) {
            return Verdict.ALLOWED;
        }
        return Verdict.refused(p + " may not " + what + " " + product.topicName() + ": only its owner "
                + MeshPrincipals.principal(product.product().domain()) + " or an admin may", null);
    }

    /** May the principal read what only admins read (the audit trail, metrics, every request). */
    public Verdict administer(String principal) {
        return isAdmin(principal) ? Verdict.ALLOWED
                : Verdict.refused(principal(principal) + " is not an admin; only admins may", null);
    }

    private boolean activeGrant(String principal, ProductContract product, boolean pii) {
        java.time.Instant now = clock.instant();
        return grants.get().stream().anyMatch(g -> g.isActive(now) && g.principal().equals(principal)
                && g.product().equals(product.topicName()) && (!pii || g.pii()));
    }

    private static String request(ProductContract product, boolean pii) {
        return "ask its owner: " + requestCommand(product.product().toString(), pii);
    }

    /** The command a refused principal runs to ask for {@code product} ({@code domain.name}). */
    public static String requestCommand(String product, boolean pii) {
        return "mesh access request " + product + (pii ? " --pii" : "") + " --reason '...'";
    }

    /** {@code User:name} for {@code name} or {@code User:name}. */
    static String principal(String name) {
        return name.startsWith("User:") ? name : MeshPrincipals.principal(name);
    }
}
