package dev.mesh.catalog.slo;

import dev.mesh.catalog.CatalogApplication;
import dev.mesh.catalog.CatalogSnapshots;
import dev.mesh.sdk.catalog.ProductEntry;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code mesh slo} and the pages show of the SLOs, from the readings and alerts as kept on their topics. */
@Requires(env = CatalogApplication.ENV)
@Singleton
public final class SloReport {
    /** Breaches first, then warnings, each by product. */
    static final Comparator<SloReading> WORST_FIRST = Comparator.comparing((SloReading r) -> -r.state().ordinal())
            .thenComparing(SloReading::topic).thenComparing(SloReading::slo);

    private final SloHistory history;
    private final CatalogSnapshots snapshots;

    SloReport(SloHistory history, CatalogSnapshots snapshots) {
        this.history = history;
        this.snapshots = snapshots;
    }

    /** Every objective of every product in the catalog as last evaluated, worst first, and the newest alerts. */
    public Map<String, Object> all(int alerts) {
        var catalog = snapshots.current();
        List<SloReading> latest = history.readings().values().stream().map(l -> l.get(l.size() - 1))
                .filter(r -> catalog.product(r.topic()).isPresent()).sorted(WORST_FIRST).toList();
        List<SloAlert> recent = history.alerts().values().stream().flatMap(List::stream)
                .sorted(Comparator.comparing(SloAlert::at).reversed()).limit(alerts).toList();
        return Map.of("objectives", latest, "alerts", recent);
    }

    /** One product's objectives as last evaluated, each with its readings over time, and its alerts, newest first. */
    public Map<String, Object> of(String idOrTopic) {
        ProductEntry p = snapshots.product(idOrTopic);
        Map<String, List<SloReading>> readings = history.readings();
        Map<String, Object> objectives = new LinkedHashMap<>();
        readings.keySet().stream().filter(k -> k.startsWith(p.topic() + "/")).sorted().forEach(k -> {
            List<SloReading> series = readings.get(k);
            SloReading last = series.get(series.size() - 1);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("current", last);
            o.put("series", series.stream().map(r -> point(r)).toList());
            objectives.put(last.slo(), o);
        });
        List<SloAlert> alerts = new java.util.ArrayList<>(history.alerts().getOrDefault(p.topic(), List.of()));
        java.util.Collections.reverse(alerts);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("product", p.product());
        out.put("topic", p.topic());
        out.put("objectives", objectives);
        out.put("alerts", alerts);
        return out;
    }

    private static Map<String, Object> point(SloReading r) {
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("at", r.at());
        point.put("value", r.value());
        point.put("state", r.state());
        return point;
    }
}
