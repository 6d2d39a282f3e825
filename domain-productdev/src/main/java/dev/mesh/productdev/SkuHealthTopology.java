package dev.mesh.productdev;

import dev.mesh.schemas.ProductdevProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.productdev.skuhealth.v1.SkuHealth;
import dev.mesh.schemas.sales.orders.v2.Order;
import dev.mesh.schemas.sales.orders.v2.OrderLine;
import dev.mesh.schemas.sales.returns.v1.Return;
import dev.mesh.sdk.Derivation;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.ProductStreams;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;

import java.util.List;

/**
 * productdev.sku-health: per sku, the orders with a line of it, how many of those were returned, and the ratings
 * customers gave it. A return counts for every sku of its order; one that arrives before its order is not counted.
 */
@Singleton
final class SkuHealthTopology implements Derivation<SkuHealth> {
    @Override
    public Product<SkuHealth> product() {
        return ProductdevProducts.SKU_HEALTH;
    }

    @Override
    public KStream<String, SkuHealth> derive(ProductStreams in) {
        KTable<String, Order> orders = in.table(SalesProducts.ORDERS_V2);
        KTable<String, SkuHealth> ordered = orders.toStream()
                .flatMap((orderId, order) -> perSku(order, 1, 0))
                .groupByKey(in.grouped("orders-by-sku", SkuHealth.class))
                .reduce(SkuHealthTopology::plus, in.store("ordered", SkuHealth.class));
        KTable<String, SkuHealth> returned = in.stream(SalesProducts.RETURNS).selectKey((id, r) -> r.getOrderId())
                .join(orders, (r, order) -> order, in.joined("returns-by-order", Return.class, Order.class))
                .flatMap((orderId, order) -> perSku(order, 0, 1))
                .groupByKey(in.grouped("returns-by-sku", SkuHealth.class))
                .reduce(SkuHealthTopology::plus, in.store("returned", SkuHealth.class));
        KTable<String, SkuHealth> rated = in.stream(ProductdevProducts.FEEDBACK)
                .map((id, f) -> KeyValue.pair(f.getSku(), health(f.getSku(), 0, 0, 1, f.getRating())))
                .groupByKey(in.grouped("feedback-by-sku", SkuHealth.class))
                .reduce(SkuHealthTopology::plus, in.store("rated", SkuHealth.class));
        return ordered.outerJoin(returned, SkuHealthTopology::plus)
                .outerJoin(rated, SkuHealthTopology::plus, in.store(ProductdevProducts.SKU_HEALTH))
                .toStream();
    }

    /** One record per distinct sku on the order's lines (a table's tombstone has none). */
    private static List<KeyValue<String, SkuHealth>> perSku(Order order, long orders, long returns) {
        return order == null ? List.of() : order.getLines().stream().map(OrderLine::getSku).distinct()
                .map(sku -> KeyValue.pair(sku, health(sku, orders, returns, 0, 0))).toList();
    }

    private static SkuHealth health(String sku, long orders, long returns, long ratings, long ratingTotal) {
        return new SkuHealth(sku, orders, returns, ratings, ratingTotal,
                ratings == 0 ? 0.0 : (double) ratingTotal / ratings, orders == 0 ? 0.0 : (double) returns / orders);
    }

    /** Two counts of one sku added; either may be missing (an outer join's side without records yet). */
    static SkuHealth plus(SkuHealth a, SkuHealth b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return health(a.getSku(), a.getOrders() + b.getOrders(), a.getReturns() + b.getReturns(),
                a.getRatings() + b.getRatings(), a.getRatingTotal() + b.getRatingTotal());
    }
}
