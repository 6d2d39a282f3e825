package dev.mesh.sdk.access;

import dev.mesh.sdk.errors.MeshException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The ACLs a cluster holds, read and changed through Kafka's Admin API (as an admin principal). */
public final class ClusterAcls {
    private ClusterAcls() {
    }

    public static Set<AclBinding> current(Admin admin) {
        return Set.copyOf(call("read the cluster's ACLs", () -> admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS)));
    }

    /** What the contracts imply against this cluster. */
    public static AccessChanges plan(Admin admin, AccessPlan plan) {
        return AccessChanges.between(plan, current(admin));
    }

    /** Adds what is missing; with {@code prune}, also removes what no contract declares. */
    public static void apply(Admin admin, AccessChanges changes, boolean prune) {
        if (!changes.missing().isEmpty()) {
            call("create ACLs", () -> admin.createAcls(changes.missing()).all().get(30, TimeUnit.SECONDS));
        }
        if (prune && !changes.undeclared().isEmpty()) {
            List<AclBindingFilter> filters = changes.undeclared().stream().map(AclBinding::toFilter).toList();
            call("delete ACLs", () -> admin.deleteAcls(filters).all().get(30, TimeUnit.SECONDS));
        }
    }

    public static void create(Admin admin, Collection<AclBinding> bindings) {
        if (!bindings.isEmpty()) {
            call("create ACLs", () -> admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS));
        }
    }

    public static void delete(Admin admin, Collection<AclBinding> bindings) {
        if (!bindings.isEmpty()) {
            List<AclBindingFilter> filters = bindings.stream().map(AclBinding::toFilter).toList();
            call("delete ACLs", () -> admin.deleteAcls(filters).all().get(30, TimeUnit.SECONDS));
        }
    }

    /** Makes the cluster hold what the plan says, without touching undeclared ACLs; returns the changes made. */
    public static AccessChanges apply(Admin admin, AccessPlan plan) {
        AccessChanges changes = plan(admin, plan);
        apply(admin, changes, false);
        return changes;
    }

    private interface Call<T> {
        T run() throws ExecutionException, InterruptedException, TimeoutException;
    }

    private static <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted while trying to " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new MeshException("cannot " + what + ": " + cause.getMessage()
                    + (cause instanceof org.apache.kafka.common.errors.SecurityDisabledException
                    ? " (the cluster has no authorizer: set authorizer.class.name on the brokers)" : ""), cause);
        }
    }

}
