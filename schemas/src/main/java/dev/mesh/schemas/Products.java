package dev.mesh.schemas;

import java.util.List;

/** Classpath locations of the product contracts this module publishes, one per product major version. */
public final class Products {
    public static final String SALES_ORDERS = "/products/sales/orders/v1/contract.yaml";
    public static final String SALES_CUSTOMERS = "/products/sales/customers/v1/contract.yaml";
    public static final String FINANCE_PAYMENTS = "/products/finance/payments/v1/contract.yaml";
    public static final String FINANCE_ORDER_SETTLEMENTS = "/products/finance/order-settlements/v1/contract.yaml";
    public static final String FINANCE_REVENUE_DAILY = "/products/finance/revenue-daily/v1/contract.yaml";
    public static final String MARKETING_CAMPAIGNS = "/products/marketing/campaigns/v1/contract.yaml";
    public static final String MARKETING_CAMPAIGN_TOUCHES = "/products/marketing/campaign-touches/v1/contract.yaml";
    public static final String MARKETING_CAMPAIGN_ATTRIBUTION = "/products/marketing/campaign-attribution/v1/contract.yaml";
    public static final String MARKETING_CAMPAIGN_PERFORMANCE = "/products/marketing/campaign-performance/v1/contract.yaml";

    public static final List<String> ALL = List.of(SALES_ORDERS, SALES_CUSTOMERS, FINANCE_PAYMENTS,
            FINANCE_ORDER_SETTLEMENTS, FINANCE_REVENUE_DAILY, MARKETING_CAMPAIGNS, MARKETING_CAMPAIGN_TOUCHES,
            MARKETING_CAMPAIGN_ATTRIBUTION, MARKETING_CAMPAIGN_PERFORMANCE);

    private Products() {
    }
}
