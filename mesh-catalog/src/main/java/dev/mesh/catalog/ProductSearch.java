package dev.mesh.catalog;

import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ProductEntry;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds products by id, description, tags, owner, and the names and docs of their schema's fields. Every word of
 * the query must match somewhere; a match in the id weighs most, then a field or tag named exactly so, then the
 * owner, a field path, the description, a field's doc.
 */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class ProductSearch {
    private static final Logger log = LoggerFactory.getLogger(ProductSearch.class);

    private final CatalogSnapshots snapshots;
    private final ProductSummaries summaries;
    private final SchemaSource schemas;

    ProductSearch(CatalogSnapshots snapshots, ProductSummaries summaries, SchemaSource schemas) {
        this.snapshots = snapshots;
        this.summaries = summaries;
        this.schemas = schemas;
    }

    /** What can be filtered on, over the whole catalog, for a search form's choices. */
    public record Facets(List<String> domains, List<String> classifications, List<String> tags) {
    }

    public record Answer(SearchQuery query, List<SearchResult> results, Facets facets) {
    }

    public Answer search(SearchQuery query) {
        CatalogSnapshot catalog = snapshots.current();
        List<ProductSummary> all = summaries.all();
        List<String> terms = query.terms();
        List<SearchResult> results = new ArrayList<>();
        for (ProductSummary summary : all) {
            if (!query.accepts(summary)) {
                continue;
            }
            ProductEntry entry = catalog.product(summary.topic()).orElseThrow();
            List<FieldRow> fields = terms.isEmpty() ? List.of() : fields(entry);
            int score = 0;
            Set<SearchResult.Match> matches = new LinkedHashSet<>();
            boolean everyTermMatched = true;
            for (String term : terms) {
                int best = score(term, entry, fields, matches);
                if (best == 0) {
                    everyTermMatched = false;
                    break;
                }
                score += best;
            }
            if (everyTermMatched) {
                results.add(new SearchResult(summary, score, List.copyOf(matches)));
            }
        }
        results.sort(Comparator.comparingInt(SearchResult::score).reversed().thenComparing(r -> r.product().id()));
        return new Answer(query, results, facets(all));
    }

    private static Facets facets(List<ProductSummary> all) {
        return new Facets(all.stream().map(ProductSummary::domain).distinct().sorted().toList(),
                all.stream().map(ProductSummary::classification).filter(java.util.Objects::nonNull).distinct().sorted().toList(),
                all.stream().flatMap(p -> p.tags().stream()).distinct().sorted().toList());
    }

    private List<FieldRow> fields(ProductEntry entry) {
        try {
            Optional<Schema> schema = schemas.schemaOf(entry);
            return schema.map(SchemaFields::of).orElse(List.of());
        } catch (RuntimeException e) {
            // A registry that does not answer must not take search down; the rest of the product is still searchable.
            log.warn("searching {} without its fields: {}", entry.topic(), e.getMessage());
            return List.of();
        }
    }

    private static int score(String term, ProductEntry p, List<FieldRow> fields, Set<SearchResult.Match> matches) {
        int best = 0;
        if (p.product().equalsIgnoreCase(term) || p.topic().equalsIgnoreCase(term)) {
            best = note(matches, best, 20, "id", p.product());
        } else if (contains(p.product(), term) || contains(p.topic(), term)) {
            best = note(matches, best, 10, "id", p.product());
        }
        for (String tag : p.tags() == null ? List.<String>of() : p.tags()) {
            if (tag.equalsIgnoreCase(term)) {
                best = note(matches, best, 8, "tag", tag);
            } else if (contains(tag, term)) {
                best = note(matches, best, 4, "tag", tag);
            }
        }
        if (contains(p.ownerTeam(), term) || contains(p.ownerContact(), term)) {
            best = note(matches, best, 5, "owner", p.ownerTeam() + (p.ownerContact() == null ? "" : " <" + p.ownerContact() + ">"));
        }
        if (contains(p.description(), term)) {
            best = note(matches, best, 3, "description", p.description());
        }
        for (FieldRow f : fields) {
            if (f.name().equalsIgnoreCase(term)) {
                best = note(matches, best, 8, "field", f.path());
            } else if (contains(f.path(), term)) {
                best = note(matches, best, 4, "field", f.path());
            } else if (contains(f.doc(), term)) {
                best = note(matches, best, 2, "field doc", f.path() + ": " + f.doc());
            }
        }
        return best;
    }

    private static int note(Set<SearchResult.Match> matches, int best, int weight, String in, String text) {
        matches.add(new SearchResult.Match(in, text));
        return Math.max(best, weight);
    }

    private static boolean contains(String haystack, String lowerCaseTerm) {
        return haystack != null && haystack.toLowerCase(Locale.ROOT).contains(lowerCaseTerm);
    }
}
