package dev.mesh.sales;

import dev.mesh.schemas.sales.customers.v1.Customer;
import dev.mesh.schemas.sales.customers.v1.Segment;
import dev.mesh.schemas.sales.orders.v2.Currency;
import dev.mesh.schemas.sales.orders.v2.Money;
import dev.mesh.schemas.sales.orders.v2.Order;
import dev.mesh.schemas.sales.orders.v2.OrderLine;
import dev.mesh.schemas.sales.orders.v2.SalesChannel;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.sdk.Publisher;
import dev.mesh.service.Generator;
import dev.mesh.service.SourceProducts;
import dev.mesh.service.StreamsApps;
import dev.mesh.service.GeneratorEnabled;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Synthetic shop traffic, on when {@code generator.rate} (steps per second) is positive: new customers sign up,
 * and customers who exist place orders of one to four lines in their country's currency (to sales.orders.v2;
 * v1 is fed from it by the migration bridge).
 */
@Requires(env = SalesDomain.ENV)
@Context
@Requires(condition = GeneratorEnabled.class)
final class SalesGenerator {
    private static final String[] FIRST = {"Ann", "Ben", "Chloe", "David", "Emma", "Felix", "Grace", "Hugo", "Ines", "Jonas"};
    private static final String[] LAST = {"Meyer", "Smith", "Dubois", "Jansen", "Rossi", "Novak", "Berg", "Silva"};
    private static final Map<String, Currency> COUNTRIES = Map.of("DE", Currency.EUR, "FR", Currency.EUR,
            "NL", Currency.EUR, "US", Currency.USD, "GB", Currency.GBP);
    private static final String[] SKUS = {"sku-tee", "sku-mug", "sku-book", "sku-lamp", "sku-bag", "sku-cap", "sku-pen"};

    private final Publisher<Customer> customers;
    private final Publisher<Order> orders;
    private final List<Customer> known = new ArrayList<>();
    private final Generator generator;

    SalesGenerator(SourceProducts products, StreamsApps apps, @Value("${generator.rate}") double rate) {
        this.customers = products.publisher(SalesProducts.CUSTOMERS);
        this.orders = products.publisher(SalesProducts.ORDERS_V2);
        this.generator = Generator.start("sales", rate, apps::instances, this::step);
    }

    private void step() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (known.size() < 5 || random.nextDouble() < 0.15) {
            Customer c = newCustomer(random);
            customers.publish(c, Generator.by("sales"));
            known.add(c);
            return;
        }
        orders.publish(newOrder(known.get(random.nextInt(known.size())), random), Generator.by("sales"));
    }

    private static Customer newCustomer(ThreadLocalRandom random) {
        String first = FIRST[random.nextInt(FIRST.length)];
        String last = LAST[random.nextInt(LAST.length)];
        String country = List.copyOf(COUNTRIES.keySet()).get(random.nextInt(COUNTRIES.size()));
        String id = "c-" + UUID.randomUUID().toString().substring(0, 8);
        return Customer.newBuilder().setCustomerId(id).setName(first + " " + last)
                .setEmail(first.toLowerCase() + "." + last.toLowerCase() + "." + id.substring(2) + "@example.com")
                .setCountry(country).setSegment(random.nextDouble() < 0.1 ? Segment.BUSINESS : Segment.CONSUMER)
                .setSignedUpAt(Instant.now()).build();
    }

    private static Order newOrder(Customer customer, ThreadLocalRandom random) {
        List<OrderLine> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            BigDecimal price = BigDecimal.valueOf(random.nextInt(500, 9_000), 2);
            int quantity = 1 + random.nextInt(3);
            lines.add(new OrderLine(SKUS[random.nextInt(SKUS.length)], quantity, price));
            total = total.add(price.multiply(BigDecimal.valueOf(quantity)));
        }
        SalesChannel channel = SalesChannel.values()[random.nextInt(SalesChannel.values().length)];
        return new Order("o-" + UUID.randomUUID().toString().substring(0, 12), customer.getCustomerId(),
                new Money(total.setScale(2, RoundingMode.UNNECESSARY), COUNTRIES.get(customer.getCountry())), lines, channel, Instant.now());
    }

    @PreDestroy
    void stop() {
        generator.close();
    }
}
