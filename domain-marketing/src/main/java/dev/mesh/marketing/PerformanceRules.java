package dev.mesh.marketing;

import dev.mesh.marketing.state.CampaignTotals;
import dev.mesh.marketing.state.CurrencyTotals;
import dev.mesh.marketing.state.OrderCredit;
import dev.mesh.schemas.finance.ordersettlements.v1.Settlement;
import dev.mesh.schemas.marketing.campaignattribution.v1.Attribution;
import dev.mesh.schemas.marketing.campaignperformance.v1.Currency;
import dev.mesh.schemas.marketing.campaignperformance.v1.Performance;
import dev.mesh.schemas.marketing.campaigns.v1.Campaign;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How a campaign performs: the business rules of marketing.campaign-performance, free of Kafka.
 *
 * <p>The mesh has no exchange rates, so amounts are summed per order currency and a campaign reports the sums in
 * its own currency: attributedOrders counts every attributed order, attributedRevenue and paidRevenue (and so
 * the return on ad spend) only those in the campaign's currency. Until the campaign itself is known, the
 * currency with the most attributed orders stands in.
 */
public final class PerformanceRules {
    private static final BigDecimal ZERO = BigDecimal.ZERO.setScale(2);

    private PerformanceRules() {
    }

    public static boolean attributed(Attribution a) {
        return a != null && a.getCampaignId() != null;
    }

    /** What an attributed order brings its campaign, given its settlement ({@code settlement} null: none yet). */
    public static OrderCredit credit(Attribution order, Settlement settlement) {
        // a refund beyond the captured amount takes nothing from other orders' revenue
        BigDecimal paid = settlement == null || settlement.getNetAmount().signum() <= 0 ? ZERO : settlement.getNetAmount();
        return new OrderCredit(order.getCampaignId(), order.getCurrency().name(), order.getOrderTotal(), paid);
    }

    public static CampaignTotals emptyTotals() {
        return new CampaignTotals("", new ArrayList<>());
    }

    /** Adds ({@code sign} 1) or takes back ({@code sign} -1) an order's credit. */
    public static CampaignTotals add(String campaignId, CampaignTotals totals, OrderCredit credit, int sign) {
        List<CurrencyTotals> out = new ArrayList<>();
        CurrencyTotals current = new CurrencyTotals(credit.getCurrency(), 0, ZERO, ZERO);
        for (CurrencyTotals t : totals.getByCurrency()) {
            if (t.getCurrency().equals(credit.getCurrency())) {
                current = t;
            } else {
                out.add(t);
            }
        }
        BigDecimal s = BigDecimal.valueOf(sign);
        CurrencyTotals updated = new CurrencyTotals(current.getCurrency(), current.getOrders() + sign,
                current.getRevenue().add(credit.getOrderTotal().multiply(s)),
                current.getPaid().add(credit.getPaid().multiply(s)));
        if (updated.getOrders() != 0) {
            out.add(updated);
        }
        out.sort(Comparator.comparing(CurrencyTotals::getCurrency));
        return new CampaignTotals(campaignId, out);
    }

    /** Either side may be missing: a campaign without orders yet, or orders of a campaign not (yet) defined. */
    public static Performance performance(CampaignTotals totals, Campaign campaign) {
        List<CurrencyTotals> sums = totals == null ? List.of() : totals.getByCurrency();
        String currency = campaign != null ? campaign.getCurrency().name() : mostOrders(sums);
        CurrencyTotals inCurrency = sums.stream().filter(t -> t.getCurrency().equals(currency)).findFirst()
                .orElse(new CurrencyTotals(currency, 0, ZERO, ZERO));
        BigDecimal budget = campaign == null ? null : campaign.getBudget();
        Double roas = budget == null || budget.signum() <= 0 ? null
                : inCurrency.getPaid().divide(budget, MathContext.DECIMAL64).doubleValue();
        return new Performance(
                campaign != null ? campaign.getCampaignId() : totals.getCampaignId(),
                campaign == null ? null : campaign.getName(),
                budget,
                currency == null ? null : Currency.valueOf(currency),
                sums.stream().mapToInt(CurrencyTotals::getOrders).sum(),
                inCurrency.getRevenue(),
                inCurrency.getPaid(),
                roas);
    }

    private static String mostOrders(List<CurrencyTotals> sums) {
        return sums.stream().max(Comparator.comparingInt(CurrencyTotals::getOrders)).map(CurrencyTotals::getCurrency).orElse(null);
    }
}
