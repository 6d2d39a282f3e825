package dev.mesh.finance;

import io.micronaut.context.annotation.Requires;
import dev.mesh.schemas.Products;
import dev.mesh.schemas.finance.ordersettlements.v1.Settlement;
import dev.mesh.schemas.finance.payments.v1.Payment;
import dev.mesh.schemas.finance.revenuedaily.v1.RevenueDay;
import dev.mesh.schemas.sales.orders.v1.Order;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.contract.ContractLoader;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.publish.Publisher;
import dev.mesh.sdk.streams.ProductStreams;
import dev.mesh.service.StreamsApps;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.streams.kstream.KTable;

/**
 * What finance publishes (finance.payments) and derives: finance.order-settlements (sales.orders joined with
 * payments) and finance.revenue-daily (from the settlements product), each by its own exactly-once Streams app.
 */
@Requires(env = FinanceApplication.ENV)
@Context
public final class FinanceProducts {
    public static final String SETTLEMENTS_APP = "finance-order-settlements";
    public static final String REVENUE_APP = "finance-revenue-daily";

    private final Publisher<Payment> payments;

    FinanceProducts(Mesh mesh, StreamsApps apps) {
        ProductContract orders = ContractLoader.loadResource(Products.SALES_ORDERS);
        ProductContract paymentsContract = ContractLoader.loadResource(Products.FINANCE_PAYMENTS);
        ProductContract settlementsContract = ContractLoader.loadResource(Products.FINANCE_ORDER_SETTLEMENTS);
        ProductContract revenueContract = ContractLoader.loadResource(Products.FINANCE_REVENUE_DAILY);
        this.payments = mesh.publisher(paymentsContract, Payment.class);

        ProductStreams settle = mesh.streams(SETTLEMENTS_APP);
        KTable<String, Settlement> settlements = FinanceTopologies.settlements(
                settle.table(orders, Order.class), settle.stream(paymentsContract, Payment.class), settle::stateSerde);
        settle.to(settlements.toStream(), settlementsContract, Settlement.class);
        apps.register(SETTLEMENTS_APP, settle.build());

        ProductStreams revenue = mesh.streams(REVENUE_APP);
        KTable<String, RevenueDay> days = FinanceTopologies.revenueDaily(
                revenue.table(settlementsContract, Settlement.class), revenue::stateSerde);
        revenue.to(days.toStream(), revenueContract, RevenueDay.class);
        apps.register(REVENUE_APP, revenue.build());
    }


    public Publisher<Payment> payments() {
        return payments;
    }

    @PreDestroy
    void close() {
        payments.close();
    }
}
