package dev.mesh.finance;

import dev.mesh.finance.state.PaymentLedger;
import dev.mesh.schemas.finance.ordersettlements.v1.Currency;
import dev.mesh.schemas.finance.ordersettlements.v1.Settlement;
import dev.mesh.schemas.finance.ordersettlements.v1.SettlementStatus;
import dev.mesh.schemas.finance.payments.v1.Payment;
import dev.mesh.schemas.sales.orders.v2.Order;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** How payments settle an order: the business rules of finance.order-settlements, free of Kafka. */
public final class SettlementRules {
    private static final BigDecimal ZERO = BigDecimal.ZERO.setScale(2);

    private SettlementRules() {
    }

    public static PaymentLedger emptyLedger() {
        return new PaymentLedger(new ArrayList<>(), ZERO, ZERO, 0, null);
    }

    /** Adds a payment event to the ledger; one already counted (same paymentId) changes nothing. */
    public static PaymentLedger apply(PaymentLedger ledger, Payment payment) {
        if (ledger.getPaymentIds().contains(payment.getPaymentId())) {
            return ledger;
        }
        List<String> ids = new ArrayList<>(ledger.getPaymentIds());
        ids.add(payment.getPaymentId());
        BigDecimal captured = ledger.getCaptured();
        BigDecimal refunded = ledger.getRefunded();
        int failures = ledger.getFailures();
        switch (payment.getKind()) {
            case CAPTURED -> captured = captured.add(payment.getAmount());
            case REFUNDED -> refunded = refunded.add(payment.getAmount());
            case FAILED -> failures++;
        }
        var last = ledger.getLastPaymentAt() == null || payment.getOccurredAt().isAfter(ledger.getLastPaymentAt())
                ? payment.getOccurredAt() : ledger.getLastPaymentAt();
        return new PaymentLedger(ids, captured, refunded, failures, last);
    }

    /** The order's settlement given what is known of its payments ({@code ledger} null: nothing yet). */
    public static Settlement settle(Order order, PaymentLedger ledger) {
        PaymentLedger l = ledger == null ? emptyLedger() : ledger;
        BigDecimal net = l.getCaptured().subtract(l.getRefunded());
        return Settlement.newBuilder()
                .setOrderId(order.getOrderId())
                .setCustomerId(order.getCustomerId())
                .setCurrency(Currency.valueOf(order.getAmount().getCurrency().name()))
                .setOrderTotal(order.getAmount().getValue())
                .setCapturedAmount(l.getCaptured())
                .setRefundedAmount(l.getRefunded())
                .setNetAmount(net)
                .setStatus(status(order.getAmount().getValue(), l, net))
                .setPaymentCount(l.getPaymentIds().size())
                .setPlacedAt(order.getPlacedAt())
                .setLastPaymentAt(l.getLastPaymentAt())
                .build();
    }

    static SettlementStatus status(BigDecimal total, PaymentLedger l, BigDecimal net) {
        boolean captured = l.getCaptured().signum() > 0;
        boolean refunded = l.getRefunded().signum() > 0;
        if (!captured && !refunded) {
            return l.getFailures() > 0 ? SettlementStatus.FAILED : SettlementStatus.AWAITING_PAYMENT;
        }
        if (refunded && net.signum() <= 0) {
            return SettlementStatus.REFUNDED;
        }
        int vsTotal = net.compareTo(total);
        if (vsTotal == 0) {
            return SettlementStatus.PAID;
        }
        return vsTotal > 0 ? SettlementStatus.OVERPAID : SettlementStatus.PARTIALLY_PAID;
    }
}
