package dev.mesh.catalog;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The mesh by domain: who owns what. */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class DomainDirectory {
    private final ProductSummaries summaries;

    DomainDirectory(ProductSummaries summaries) {
        this.summaries = summaries;
    }

    public record Domain(String name, List<ProductPage.Owner> owners, List<ProductSummary> products) {
    }

    public List<Domain> domains() {
        Map<String, List<ProductSummary>> byDomain = new TreeMap<>();
        for (ProductSummary p : summaries.all()) {
            byDomain.computeIfAbsent(p.domain(), d -> new ArrayList<>()).add(p);
        }
        List<Domain> out = new ArrayList<>();
        byDomain.forEach((name, products) -> {
            Set<ProductPage.Owner> owners = new LinkedHashSet<>();
            products.forEach(p -> owners.add(new ProductPage.Owner(p.owner(), p.ownerContact())));
            out.add(new Domain(name, List.copyOf(owners), products));
        });
        return out;
    }
}
