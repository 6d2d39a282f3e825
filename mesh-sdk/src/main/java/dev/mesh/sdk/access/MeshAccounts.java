package dev.mesh.sdk.access;

import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.security.CredentialStore;
import dev.mesh.sdk.security.MeshCredentials;
import dev.mesh.sdk.security.MeshPrincipals;
import dev.mesh.sdk.security.ScramUsers;
import org.apache.kafka.clients.admin.Admin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * A secured cluster made ready for the mesh, as an admin: a principal for each domain the contracts name and for the
 * platform's parts (credentials kept in the store, SCRAM credentials on the brokers), and the ACLs the contracts
 * imply. What {@code mesh up} does on its own broker and {@code mesh access init} on any cluster; safe to repeat.
 */
public final class MeshAccounts {
    public static final String ADMIN_ROLE = "admin";
    public static final String DOMAIN_ROLE = "domain";
    public static final String PLATFORM_ROLE = "platform";

    private MeshAccounts() {
    }

    /** The admin's credentials, made once: the brokers' super user, so it exists before any broker starts. */
    public static MeshCredentials admin(CredentialStore store) {
        return store.ensure(MeshPrincipals.ADMIN, Set.of(ADMIN_ROLE));
    }

    /** Every principal of the mesh with credentials on the brokers, and the contracts' ACLs; the ACLs it added. */
    public static AccessChanges provision(Admin admin, CredentialStore store, Collection<ProductContract> contracts) {
        List<MeshCredentials> principals = new ArrayList<>(ensureAll(store, contracts));
        // the admin too: a cluster that knew it from its configuration only now takes it over SCRAM like everyone
        principals.add(admin(store));
        ScramUsers.upsert(admin, principals);
        return ClusterAcls.apply(admin, AccessPlan.of(contracts));
    }

    /** Credentials for the platform's parts and each domain the contracts name (the admin's aside). */
    public static List<MeshCredentials> ensureAll(CredentialStore store, Collection<ProductContract> contracts) {
        List<MeshCredentials> principals = new ArrayList<>();
        principals.add(store.ensure(MeshPrincipals.REGISTRY, Set.of(PLATFORM_ROLE)));
        principals.add(store.ensure(MeshPrincipals.CATALOG, Set.of(PLATFORM_ROLE)));
        contracts.stream().map(c -> c.product().domain()).distinct().sorted()
                .forEach(domain -> principals.add(store.ensure(domain, Set.of(DOMAIN_ROLE))));
        return principals;
    }
}
