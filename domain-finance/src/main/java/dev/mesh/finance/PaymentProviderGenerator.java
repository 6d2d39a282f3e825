package dev.mesh.finance;

import dev.mesh.service.Generator;
import dev.mesh.service.GeneratorEnabled;
import dev.mesh.service.SourceProducts;
import dev.mesh.schemas.FinanceProducts;
import dev.mesh.schemas.SalesProducts;
import dev.mesh.schemas.finance.payments.v1.Currency;
import dev.mesh.schemas.finance.payments.v1.Payment;
import dev.mesh.schemas.finance.payments.v1.PaymentKind;
import dev.mesh.schemas.sales.orders.v2.Order;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.ProductRecord;
import dev.mesh.sdk.Subscriber;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A payment provider for synthetic traffic, on when {@code generator.rate} is positive: it subscribes to
 * sales.orders and pays each generated order as a provider would. Most are captured within seconds; some fail, some fail
 * and then succeed, some are paid in two parts, some refunded later, and some events arrive twice.
 */
@Requires(env = FinanceDomain.ENV)
@Context
@Requires(condition = GeneratorEnabled.class)
final class PaymentProviderGenerator {
    private final Publisher<Payment> payments;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "generator-payment-provider");
        t.setDaemon(true);
        return t;
    });
    private final Subscriber<Order> orders;

    PaymentProviderGenerator(Mesh mesh, SourceProducts products) {
        this.payments = products.publisher(FinanceProducts.PAYMENTS);
        this.orders = mesh.subscriber(SalesProducts.ORDERS_V2)
                .group("finance-payment-provider").handler(this::pay).start();
    }

    private void pay(ProductRecord<Order> record) {
        if (!Generator.generated(record)) {
            return; // an order a user posted is paid by that user, through the intake
        }
        Order order = record.value();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        BigDecimal total = order.getAmount().getValue();
        double dice = random.nextDouble();
        long soon = 300 + random.nextLong(2_500);
        if (dice < 0.78) {
            later(soon, order, PaymentKind.CAPTURED, total, null);
        } else if (dice < 0.84) {
            later(soon, order, PaymentKind.FAILED, BigDecimal.ZERO.setScale(2), null);
            later(soon + 2_000, order, PaymentKind.CAPTURED, total, null);
        } else if (dice < 0.88) {
            later(soon, order, PaymentKind.FAILED, BigDecimal.ZERO.setScale(2), null);
        } else if (dice < 0.92) {
            BigDecimal half = total.divide(BigDecimal.valueOf(2), 2, RoundingMode.DOWN);
            later(soon, order, PaymentKind.CAPTURED, half, null);
            later(soon + 4_000, order, PaymentKind.CAPTURED, total.subtract(half), null);
        } else if (dice < 0.96) {
            later(soon, order, PaymentKind.CAPTURED, total, null);
            later(soon + 10_000 + random.nextLong(10_000), order, PaymentKind.REFUNDED, total, null);
        } else {
            String paymentId = "p-" + UUID.randomUUID();
            later(soon, order, PaymentKind.CAPTURED, total, paymentId);
            later(soon + 500, order, PaymentKind.CAPTURED, total, paymentId);
        }
    }

    private void later(long delayMillis, Order order, PaymentKind kind, BigDecimal amount, String paymentId) {
        clock.schedule(() -> payments.publish(new Payment(
                paymentId != null ? paymentId : "p-" + UUID.randomUUID(), order.getOrderId(), kind, amount,
                Currency.valueOf(order.getAmount().getCurrency().name()), "acme-pay", Instant.now()), Generator.by("finance")), delayMillis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        orders.close();
        clock.shutdownNow();
    }
}
