package dev.mesh.sdk;

import dev.mesh.sdk.contract.ContractException;
import dev.mesh.sdk.contract.DomainDescriptor;
import dev.mesh.sdk.contract.loader.ContractLoader;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The domains of the mesh: every domain with a product on the classpath, as its folder's {@code domain.yaml}
 * declares it. What runs a domain (the local mesh, compose, the scaled mesh) iterates over these instead of naming them.
 */
public final class Domains {
    private Domains() {
    }

    /** Every domain, by name; two domains wanting one port is an error naming both. */
    public static List<DomainDescriptor> all() {
        List<DomainDescriptor> all = new TreeSet<>(Product.all().stream().map(p -> p.id().domain()).toList()).stream()
                .map(ContractLoader::loadDomainResource).toList();
        List<ContractException.Problem> clashes = portClashes(all, name -> "products/" + name + "/domain.yaml");
        if (!clashes.isEmpty()) {
            throw new ContractException(clashes);
        }
        return all;
    }

    /** A problem for each domain that wants a port an earlier one (by name) has, in its file ({@code fileOf} its name). */
    public static List<ContractException.Problem> portClashes(List<DomainDescriptor> domains, Function<String, String> fileOf) {
        Map<Integer, String> taken = new TreeMap<>();
        return domains.stream().sorted(java.util.Comparator.comparing(DomainDescriptor::name))
                .filter(d -> taken.putIfAbsent(d.port(), d.name()) != null)
                .map(d -> new ContractException.Problem(fileOf.apply(d.name()), 0, "port",
                        "port " + d.port() + " is domain " + taken.get(d.port()) + "'s already"))
                .toList();
    }

    public static DomainDescriptor of(String name) {
        return all().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no domain " + name + "; the mesh's domains are " + all().stream().map(DomainDescriptor::name).toList()));
    }
}
