package dev.mesh.sdk;

import dev.mesh.sdk.contract.ContractException;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.ProductId;
import dev.mesh.sdk.contract.loader.ContractLoader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * A data product (one major version) together with the class its records are read and written as: what
 * {@code mesh.publisher(...)}, {@code streams.table(...)} and {@code .to(...)} take, so a contract and a class
 * that do not belong together cannot meet. The schemas module generates one constant per product, e.g.
 * {@code SalesProducts.ORDERS} of type {@code Product<Order>}.
 */
public final class Product<T> {
    private final String resource;
    private final Class<T> type;
    private volatile ProductContract contract;

    private Product(String resource, ProductContract contract, Class<T> type) {
        this.resource = resource;
        this.contract = contract;
        this.type = type;
    }

    /** The product whose contract is the classpath resource, read lazily (generated handles use this). */
    public static <T> Product<T> of(String contractResource, Class<T> type) {
        return new Product<>(contractResource, null, type);
    }

    /** A product from a contract at hand; {@code type} must be its schema's generated class or GenericRecord. */
    public static <T> Product<T> of(ProductContract contract, Class<T> type) {
        return new Product<>(contract.origin(), checked(contract, type), type);
    }

    /**
     * Every product of every schemas jar on the classpath: each lists its own through a {@link ProductIndex} service
     * (the schemas module generates it from its product folders).
     */
    public static List<Product<?>> all() {
        List<Product<?>> all = new ArrayList<>();
        ServiceLoader.load(ProductIndex.class, Product.class.getClassLoader()).forEach(index -> all.addAll(index.products()));
        return List.copyOf(all);
    }

    public ProductContract contract() {
        ProductContract c = contract;
        if (c == null) {
            c = checked(ContractLoader.loadResource(resource), type);
            contract = c;
        }
        return c;
    }

    public Class<T> type() {
        return type;
    }

    public ProductId id() {
        return contract().product();
    }

    public String topic() {
        return contract().topicName();
    }

    /** The Kafka Streams application id of the app that derives this product, e.g. finance-order-settlements. */
    public String applicationId() {
        return Naming.applicationId(id(), contract().major());
    }

    /** The name of the state store holding this product as a table in the app that derives it, e.g. order-settlements. */
    public String storeName() {
        return name();
    }

    /** The product's name within its domain, with its major from 2 on: orders, orders-v2 (as in /products/orders-v2). */
    public String name() {
        return Naming.productName(id(), contract().major());
    }

    private static <T> ProductContract checked(ProductContract contract, Class<T> type) {
        if (SpecificRecord.class.isAssignableFrom(type)) {
            String declared = contract.schema().getFullName();
            String generated = SpecificData.getForClass(type).getSchema(type).getFullName();
            if (!declared.equals(generated)) {
                throw new ContractException(new ContractException.Problem(contract.origin(), 0, "schema",
                        "the product's records are " + declared + ", not " + generated));
            }
        } else if (!GenericRecord.class.isAssignableFrom(type) && type != Object.class) {
            throw new ContractException(new ContractException.Problem(contract.origin(), 0, "schema",
                    "records are read as the schema's generated class or GenericRecord, not " + type.getName()));
        }
        return contract;
    }

    @Override
    public String toString() {
        return id() + " v" + contract().major();
    }
}
