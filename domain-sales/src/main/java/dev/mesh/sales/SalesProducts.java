package dev.mesh.sales;

import io.micronaut.context.annotation.Requires;
import dev.mesh.schemas.Products;
import dev.mesh.schemas.sales.customers.v1.Customer;
import dev.mesh.schemas.sales.orders.v1.Order;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.contract.ContractLoader;
import dev.mesh.sdk.publish.Publisher;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;

/** The products sales publishes, opened at startup so a broken contract or schema stops the service at once. */
@Requires(env = SalesApplication.ENV)
@Context
public final class SalesProducts {
    private final Publisher<Order> orders;
    private final Publisher<Customer> customers;

    SalesProducts(Mesh mesh) {
        this.customers = mesh.publisher(ContractLoader.loadResource(Products.SALES_CUSTOMERS), Customer.class);
        this.orders = mesh.publisher(ContractLoader.loadResource(Products.SALES_ORDERS), Order.class);
    }

    public Publisher<Order> orders() {
        return orders;
    }

    public Publisher<Customer> customers() {
        return customers;
    }

    @PreDestroy
    void close() {
        orders.close();
        customers.close();
    }
}
