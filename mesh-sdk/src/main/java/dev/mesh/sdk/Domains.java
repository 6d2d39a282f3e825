package dev.mesh.sdk;

import dev.mesh.sdk.contract.ContractException;
import dev.mesh.sdk.contract.DomainDescriptor;
import dev.mesh.sdk.contract.loader.ContractLoader;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

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
        Map<Integer, List<String>> byPort = all.stream().collect(Collectors.groupingBy(DomainDescriptor::port,
                java.util.TreeMap::new, Collectors.mapping(DomainDescriptor::name, Collectors.toList())));
        byPort.forEach((port, names) -> {
            if (names.size() > 1) {
                throw new ContractException(new ContractException.Problem("products/" + names.get(1) + "/domain.yaml", 0, "port",
                        "port " + port + " is taken by domain " + names.get(0) + " already"));
            }
        });
        return all;
    }

    public static DomainDescriptor of(String name) {
        return all().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no domain " + name + "; the mesh's domains are " + all().stream().map(DomainDescriptor::name).toList()));
    }
}
