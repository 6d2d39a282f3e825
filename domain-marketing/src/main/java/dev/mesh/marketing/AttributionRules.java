package dev.mesh.marketing;

import dev.mesh.schemas.marketing.campaignattribution.v1.Attribution;
import dev.mesh.schemas.marketing.campaignattribution.v1.Currency;
import dev.mesh.schemas.marketing.campaigntouches.v1.Touch;
import dev.mesh.schemas.sales.orders.v1.Order;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** Which campaign an order is credited to: the business rules of marketing.campaign-attribution, free of Kafka. */
public final class AttributionRules {
    /** A touch is credited with the customer's orders of the 7 days after it. */
    public static final Duration WINDOW = Duration.ofDays(7);
    /**
     * How long touches are kept: the window, plus a day in which an order or a touch may still arrive late and be
     * attributed correctly. Older ones are refused by the versioned store (logged and counted as dropped records).
     */
    public static final Duration TOUCH_HISTORY = WINDOW.plusDays(1);
    /**
     * How long an order's attribution can still be changed by a late touch. A day more than the touch history,
     * because orders are aged by stream time, which can run ahead of the touches' own time.
     */
    public static final Duration ORDER_RETENTION = TOUCH_HISTORY.plusDays(1);

    private AttributionRules() {
    }

    /** The order as the attribution product carries it, not yet credited to any campaign. Nothing personal is kept. */
    public static Attribution unattributed(Order order) {
        return new Attribution(order.getOrderId(), order.getCustomerId(), null, null, null,
                Currency.valueOf(order.getCurrency().name()), order.getTotalAmount(), order.getPlacedAt());
    }

    /**
     * The order credited to {@code lastTouch}, the customer's last touch as of when the order was placed (null: there
     * was none). A touch older than the window credits nothing: the order is published unattributed.
     */
    public static Attribution attribute(Attribution order, Touch lastTouch) {
        boolean credited = lastTouch != null && withinWindow(lastTouch.getOccurredAt(), order.getPlacedAt());
        return new Attribution(order.getOrderId(), order.getCustomerId(),
                credited ? lastTouch.getCampaignId() : null,
                credited ? lastTouch.getTouchId() : null,
                credited ? lastTouch.getOccurredAt() : null,
                order.getCurrency(), order.getOrderTotal(), order.getPlacedAt());
    }

    /** A touch at the very moment of the order, or exactly 7 days before it, still counts. */
    public static boolean withinWindow(Instant touchedAt, Instant placedAt) {
        return !touchedAt.isAfter(placedAt) && !touchedAt.isBefore(placedAt.minus(WINDOW));
    }

    /** Whether a re-attribution changes what was published, so an unchanged order is not published again. */
    public static boolean sameCredit(Attribution a, Attribution b) {
        return Objects.equals(a.getTouchId(), b.getTouchId()) && Objects.equals(a.getCampaignId(), b.getCampaignId());
    }
}
