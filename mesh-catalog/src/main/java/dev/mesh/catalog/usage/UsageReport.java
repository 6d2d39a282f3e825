package dev.mesh.catalog.usage;

import dev.mesh.catalog.CatalogApplication;
import dev.mesh.catalog.CatalogSnapshots;
import dev.mesh.sdk.catalog.ProductEntry;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Usage per product over a span of days, for chargeback ({@code mesh usage}, {@code /api/usage}): each reading
 * group with its domain, records and bytes read, the days it read and when it last did; a product nobody read within
 * {@code catalog.usage.idle-after} (7 days) is flagged idle.
 */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class UsageReport {
    private final UsageMeter meter;
    private final CatalogSnapshots snapshots;
    private final Duration idleAfter;

    UsageReport(UsageMeter meter, CatalogSnapshots snapshots,
                @Property(name = "catalog.usage.idle-after", defaultValue = "7d") Duration idleAfter) {
        this.meter = meter;
        this.snapshots = snapshots;
        this.idleAfter = idleAfter;
    }

    /** One group's reading of one product over the span. */
    public record Reader(String group, String reader, long records, long bytes, long daysRead, Instant lastReadAt) {
    }

    /** One product's usage over the span. */
    public record ProductUsage(String product, String topic, String owner, long records, long bytes, List<Reader> readers,
                               Instant lastReadAt, boolean idle) {
    }

    /** Every product of the catalog (or the one named) over the days since {@code since}, heaviest first. */
    public List<ProductUsage> report(Optional<String> product, Duration since, Instant now) {
        LocalDate from = now.minus(since).atZone(ZoneOffset.UTC).toLocalDate();
        Map<String, List<DailyUsage>> byTopic = meter.all().stream().filter(u -> !u.day().isBefore(from))
                .collect(Collectors.groupingBy(DailyUsage::topic));
        Map<String, Instant> lastEver = new LinkedHashMap<>();
        meter.all().stream().filter(u -> u.lastReadAt() != null)
                .forEach(u -> lastEver.merge(u.topic(), u.lastReadAt(), (a, b) -> a.isAfter(b) ? a : b));
        List<ProductEntry> products = product.map(id -> List.of(snapshots.product(id)))
                .orElseGet(() -> snapshots.current().allProducts().stream().toList());
        List<ProductUsage> out = new ArrayList<>();
        for (ProductEntry p : products) {
            List<Reader> readers = byTopic.getOrDefault(p.topic(), List.of()).stream()
                    .collect(Collectors.groupingBy(DailyUsage::group, LinkedHashMap::new, Collectors.toList()))
                    .entrySet().stream().map(e -> reader(e.getKey(), e.getValue()))
                    .sorted(Comparator.comparingLong(Reader::records).reversed()).toList();
            Instant last = lastEver.get(p.topic());
            out.add(new ProductUsage(p.product(), p.topic(), CatalogSnapshots.domainOf(p),
                    readers.stream().mapToLong(Reader::records).sum(), readers.stream().mapToLong(Reader::bytes).sum(),
                    readers, last, last == null || last.isBefore(now.minus(idleAfter))));
        }
        out.sort(Comparator.comparingLong(ProductUsage::records).reversed().thenComparing(ProductUsage::topic));
        return out;
    }

    private static Reader reader(String group, List<DailyUsage> days) {
        return new Reader(group, days.get(0).reader(), days.stream().mapToLong(DailyUsage::records).sum(),
                days.stream().mapToLong(DailyUsage::bytes).sum(), days.stream().filter(d -> d.records() > 0).count(),
                days.stream().map(DailyUsage::lastReadAt).filter(java.util.Objects::nonNull).max(Comparator.naturalOrder()).orElse(null));
    }

    public Duration idleAfter() {
        return idleAfter;
    }
}
