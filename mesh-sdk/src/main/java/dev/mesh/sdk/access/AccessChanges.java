package dev.mesh.sdk.access;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The difference between what the contracts imply and what a cluster holds: ACLs to add, ACLs nobody declared
 * (drift: hand-added, or left by a contract since changed), and conflicts (contracts that disagree, a DENY
 * against a declared ALLOW). Exit codes like a dry run's: 0 nothing to do, 1 changes, 2 drift or conflict.
 */
public record AccessChanges(Set<AclBinding> missing, Set<AclBinding> undeclared, List<String> conflicts) {
    private static final Comparator<AclBinding> ORDER = Comparator
            .comparing((AclBinding b) -> b.entry().principal())
            .thenComparing(b -> b.pattern().resourceType())
            .thenComparing(b -> b.pattern().name())
            .thenComparing(b -> b.pattern().patternType())
            .thenComparing(b -> b.entry().operation());

    public AccessChanges {
        missing = sorted(missing);
        undeclared = sorted(undeclared);
        conflicts = List.copyOf(conflicts);
    }

    public static AccessChanges between(AccessPlan plan, Collection<AclBinding> existing) {
        Set<AclBinding> declared = plan.bindings();
        Set<AclBinding> missing = new LinkedHashSet<>(declared);
        missing.removeAll(existing);
        Set<AclBinding> undeclared = new LinkedHashSet<>(existing);
        undeclared.removeAll(declared);
        List<String> conflicts = new ArrayList<>(plan.conflicts());
        for (AclBinding deny : existing) {
            if (deny.entry().permissionType() != AclPermissionType.DENY) {
                continue;
            }
            declared.stream().filter(allow -> overlaps(deny, allow)).findFirst().ifPresent(allow ->
                    conflicts.add(describe(deny) + " takes away what the contracts grant: " + describe(allow)));
        }
        return new AccessChanges(missing, undeclared, conflicts);
    }

    public int exitCode() {
        if (!undeclared.isEmpty() || !conflicts.isEmpty()) {
            return 2;
        }
        return missing.isEmpty() ? 0 : 1;
    }

    /** One line per change: {@code + ALLOW User:finance READ on TOPIC sales.orders.v1}, {@code ? ...} for drift. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        missing.forEach(b -> lines.add("+ " + describe(b)));
        undeclared.forEach(b -> lines.add("? " + describe(b) + "  (declared by no contract)"));
        conflicts.forEach(c -> lines.add("! " + c));
        return lines;
    }

    public static String describe(AclBinding binding) {
        var pattern = binding.pattern();
        return binding.entry().permissionType() + " " + binding.entry().principal() + " " + binding.entry().operation()
                + " on " + pattern.resourceType() + " " + pattern.name()
                + (pattern.patternType() == PatternType.PREFIXED ? "*" : "")
                + (binding.entry().host().equals("*") ? "" : " from " + binding.entry().host());
    }

    private static boolean overlaps(AclBinding deny, AclBinding allow) {
        var d = deny.pattern();
        var a = allow.pattern();
        boolean principal = deny.entry().principal().equals(allow.entry().principal()) || deny.entry().principal().equals("User:*");
        boolean operation = deny.entry().operation() == allow.entry().operation()
                || deny.entry().operation() == org.apache.kafka.common.acl.AclOperation.ALL;
        boolean resource = d.resourceType() == a.resourceType() && (d.name().equals("*")
                || (d.patternType() == PatternType.PREFIXED ? a.name().startsWith(d.name()) : d.name().equals(a.name())));
        return principal && operation && resource;
    }

    private static Set<AclBinding> sorted(Set<AclBinding> bindings) {
        List<AclBinding> list = new ArrayList<>(bindings);
        list.sort(ORDER);
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(list));
    }
}
