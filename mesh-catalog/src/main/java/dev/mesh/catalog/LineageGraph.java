package dev.mesh.catalog;

import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ConsumerEntry;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.ops.Lineage;
import dev.mesh.catalog.lineage.ReportedJob;
import dev.mesh.sdk.security.MeshPrincipals;

import java.util.Collection;

import java.util.TreeSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Products and the apps between them as a graph: a derived product's Streams app sits between its inputs and
 * it, and a subscriber app hangs off what it reads. Jobs that OpenLineage events reported join it between what
 * they read and wrote; a job may draw itself writing a product only when its reporter owns the product (or is an
 * admin), and the mesh's own Streams apps, already drawn from the catalog, are not drawn twice. Node ids are topics
 * for products, {@code app:<group>} for apps, {@code job:<reporter>/<namespace>/<name>} for reported jobs and
 * {@code dataset:<namespace>/<name>} for what is not a Kafka topic, so a graph library can draw it as given.
 *
 * @param focus the product this graph is about, null for the whole mesh
 */
public record LineageGraph(String focus, List<Node> nodes, List<Edge> edges) {

    /**
     * @param kind    {@code product}, {@code app}, {@code job} (reported by OpenLineage; its owner is the reporter)
     *                or {@code dataset} (a reported job's, outside Kafka)
     * @param known   false for an input the catalog has no entry for
     * @param url     the product's page; null for an app or an unknown product
     */
    public record Node(String id, String kind, String label, String product, String domain, String owner,
                       boolean known, String url) {
    }

    public record Edge(String id, String source, String target) {
    }

    public static LineageGraph wholeMesh(CatalogSnapshot catalog) {
        return wholeMesh(catalog, List.of(), "");
    }

    /** With the jobs OpenLineage events reported; {@code namespace} is the mesh's own apps' job namespace. */
    public static LineageGraph wholeMesh(CatalogSnapshot catalog, Collection<ReportedJob> jobs, String namespace) {
        Builder b = new Builder(catalog);
        catalog.allProducts().forEach(p -> b.product(p.topic()));
        catalog.allProducts().forEach(b::derivation);
        catalog.consumers().forEach(b::consumer);
        jobs.forEach(j -> b.reported(j, namespace, null));
        return new LineageGraph(null, List.copyOf(b.nodes.values()), List.copyOf(b.edges.values()));
    }

    /** The product, everything it is built from and everything built from it, and its own consumers. */
    public static LineageGraph of(CatalogSnapshot catalog, String topic) {
        return of(catalog, topic, List.of(), "");
    }

    /** As {@link #of(CatalogSnapshot, String)}, with the reported jobs that read or write any product of it. */
    public static LineageGraph of(CatalogSnapshot catalog, String topic, Collection<ReportedJob> jobs, String namespace) {
        Set<String> related = new TreeSet<>();
        collect(Lineage.upstream(catalog, topic), related);
        collect(Lineage.downstream(catalog, topic), related);
        Builder b = new Builder(catalog);
        related.forEach(b::product);
        for (String t : related) {
            catalog.product(t).ifPresent(p -> {
                if (p.isDerived()) {
                    b.derivation(p, related);
                }
            });
        }
        catalog.consumersOf(topic).forEach(b::consumer);
        jobs.forEach(j -> b.reported(j, namespace, related));
        ProductEntry focus = catalog.product(topic).orElse(null);
        return new LineageGraph(focus == null ? topic : focus.product(), List.copyOf(b.nodes.values()), List.copyOf(b.edges.values()));
    }

    private static void collect(Lineage.Node node, Set<String> into) {
        into.add(node.topic());
        node.children().forEach(c -> collect(c, into));
    }

    private static final class Builder {
        private final CatalogSnapshot catalog;
        private final Map<String, Node> nodes = new LinkedHashMap<>();
        private final Map<String, Edge> edges = new LinkedHashMap<>();

        Builder(CatalogSnapshot catalog) {
            this.catalog = catalog;
        }

        void product(String topic) {
            nodes.computeIfAbsent(topic, t -> catalog.product(t)
                    .map(p -> new Node(t, "product", p.product(), p.product(), CatalogSnapshots.domainOf(p), p.ownerTeam(),
                            true, ProductSummaries.pageOf(p, catalog)))
                    .orElse(new Node(t, "product", t, null, null, null, false, null)));
        }

        void derivation(ProductEntry p) {
            derivation(p, null);
        }

        /** The app from {@code p}'s inputs to {@code p}; with {@code only}, just the inputs in it. */
        void derivation(ProductEntry p, Set<String> only) {
            if (!p.isDerived()) {
                return;
            }
            String app = app(p.streamsApplicationId() != null ? p.streamsApplicationId() : p.topic() + " derivation", p.ownerTeam());
            edge(app, p.topic());
            for (String input : p.inputs()) {
                if (only == null || only.contains(input)) {
                    product(input);
                    edge(input, app);
                }
            }
        }

        void consumer(ConsumerEntry c) {
            if (!nodes.containsKey(c.topic())) {
                product(c.topic());
            }
            edge(c.topic(), app(c.group(), c.app()));
        }

        /** A reported job touching {@code only} (all when null), unless it is one of the mesh's own Streams apps. */
        void reported(ReportedJob job, String namespace, Set<String> only) {
            String domain = job.reporter();
            boolean admin = MeshPrincipals.ADMIN.equals(domain);
            if (job.namespace().equals(namespace) && catalog.allProducts().stream().anyMatch(p ->
                    job.name().equals(p.streamsApplicationId()) && CatalogSnapshots.domainOf(p).equals(domain))) {
                return;
            }
            List<ReportedJob.Dataset> writes = job.outputs().stream().filter(d -> !d.isKafka()
                    || catalog.product(d.name()).map(p -> admin || CatalogSnapshots.domainOf(p).equals(domain)).orElse(true)).toList();
            if (only != null && java.util.stream.Stream.concat(job.inputs().stream(), writes.stream())
                    .noneMatch(d -> d.isKafka() && only.contains(d.name()))) {
                return;
            }
            String id = "job:" + domain + "/" + job.namespace() + "/" + job.name();
            nodes.putIfAbsent(id, new Node(id, "job", job.name(), null, null, domain, true, null));
            job.inputs().forEach(d -> edge(dataset(d), id));
            writes.forEach(d -> edge(id, dataset(d)));
        }

        /** A Kafka topic as a product (known or not), anything else as a dataset of its namespace. */
        private String dataset(ReportedJob.Dataset d) {
            if (d.isKafka()) {
                product(d.name());
                return d.name();
            }
            String id = "dataset:" + d.namespace() + "/" + d.name();
            nodes.putIfAbsent(id, new Node(id, "dataset", d.name(), null, null, null, false, null));
            return id;
        }

        private String app(String name, String owner) {
            String id = "app:" + name;
            nodes.putIfAbsent(id, new Node(id, "app", name, null, null, owner, true, null));
            return id;
        }

        private void edge(String source, String target) {
            String id = source + "->" + target;
            edges.putIfAbsent(id, new Edge(id, source, target));
        }
    }
}
