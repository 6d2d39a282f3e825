package dev.mesh.productdev;

import dev.mesh.schemas.ProductdevProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.productdev.feedback.v1.Feedback;
import dev.mesh.schemas.sales.orders.v2.Order;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.ProductRecord;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.Subscriber;
import dev.mesh.service.Generator;
import dev.mesh.service.GeneratorEnabled;
import dev.mesh.service.SourceProducts;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Customers giving feedback, for synthetic traffic (on when {@code generator.rate} is positive): for about a third of
 * the generated orders, the customer rates one sku of it, mostly well, and says so in a sentence.
 */
@Requires(env = ProductdevDomain.ENV)
@Context
@Requires(condition = GeneratorEnabled.class)
final class FeedbackGenerator {
    private static final String[] SAYINGS = {"not what I hoped for", "broke after a week", "does the job",
            "good value", "love it, would buy again"};
    private final Publisher<Feedback> feedback;
    private final Subscriber<Order> orders;

    FeedbackGenerator(Mesh mesh, SourceProducts products) {
        this.feedback = products.publisher(ProductdevProducts.FEEDBACK);
        this.orders = mesh.subscriber(SalesProducts.ORDERS_V2).group("productdev-feedback-generator").handler(this::rate).start();
    }

    private void rate(ProductRecord<Order> record) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (!Generator.generated(record) || random.nextDouble() >= 0.35) {
            return; // an order a user posted gets the feedback that user posts
        }
        Order order = record.value();
        String sku = order.getLines().get(random.nextInt(order.getLines().size())).getSku();
        // most customers who bother to rate are content: 1 to 5 stars, weighted towards 4 and 5
        int rating = Math.min(5, 1 + random.nextInt(3) + random.nextInt(3));
        feedback.publish(new Feedback("f-" + UUID.randomUUID(), order.getCustomerId(), sku, rating,
                SAYINGS[rating - 1], Instant.now()), Generator.by(ProductdevDomain.ENV));
    }

    @PreDestroy
    void stop() {
        orders.close();
    }
}
