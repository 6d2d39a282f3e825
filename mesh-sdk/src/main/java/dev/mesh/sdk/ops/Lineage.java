package dev.mesh.sdk.ops;

import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ProductEntry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Upstream and downstream trees of a product across domains, from the catalog's inputs. */
public final class Lineage {
    private Lineage() {
    }

    /**
     * @param app      the Streams app that derives this product from its children (upstream) or from its parent
     *                 (downstream); null for a published product
     * @param known    false for an input the catalog has no entry for
     */
    public record Node(String topic, String product, String owner, String app, boolean known, List<Node> children) {
    }

    public static Node upstream(CatalogSnapshot catalog, String topic) {
        return up(catalog, topic, new HashSet<>());
    }

    public static Node downstream(CatalogSnapshot catalog, String topic) {
        return down(catalog, topic, null, new HashSet<>());
    }

    private static Node up(CatalogSnapshot catalog, String topic, Set<String> path) {
        ProductEntry p = catalog.product(topic).orElse(null);
        if (p == null) {
            return new Node(topic, null, null, null, false, List.of());
        }
        List<Node> children = new ArrayList<>();
        if (path.add(topic) && p.inputs() != null) {
            for (String input : p.inputs()) {
                children.add(up(catalog, input, path));
            }
            path.remove(topic);
        }
        return new Node(topic, p.product(), p.ownerTeam(), p.streamsApplicationId(), true, children);
    }

    private static Node down(CatalogSnapshot catalog, String topic, String app, Set<String> path) {
        ProductEntry p = catalog.product(topic).orElse(null);
        List<Node> children = new ArrayList<>();
        if (path.add(topic)) {
            for (ProductEntry d : catalog.downstreamOf(topic)) {
                children.add(down(catalog, d.topic(), d.streamsApplicationId(), path));
            }
            path.remove(topic);
        }
        return new Node(topic, p == null ? null : p.product(), p == null ? null : p.ownerTeam(), app, p != null, children);
    }

    /** The tree as indented text lines, e.g. for a terminal. */
    public static List<String> render(Node root) {
        List<String> lines = new ArrayList<>();
        lines.add(label(root));
        renderChildren(root, "", lines);
        return lines;
    }

    private static void renderChildren(Node node, String indent, List<String> lines) {
        for (int i = 0; i < node.children().size(); i++) {
            Node child = node.children().get(i);
            boolean last = i == node.children().size() - 1;
            lines.add(indent + (last ? "└── " : "├── ") + label(child));
            renderChildren(child, indent + (last ? "    " : "│   "), lines);
        }
    }

    private static String label(Node n) {
        return n.topic() + (n.owner() != null ? "  [" + n.owner() + "]" : "") + (n.app() != null ? "  via " + n.app() : "")
                + (n.known() ? "" : "  (not in the catalog)");
    }
}
