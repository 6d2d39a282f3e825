package dev.mesh.marketing;

import dev.mesh.sdk.StateSerdes;
import dev.mesh.schemas.marketing.campaignattribution.v1.Attribution;
import dev.mesh.schemas.marketing.campaigntouches.v1.Touch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The processors behind marketing.campaign-attribution. Orders (re-keyed by customer) and touches (keyed by
 * customer) of one partition of customers meet in one task, whose two stores both processors share:
 * <ul>
 *   <li>{@value #TOUCH_HISTORY_STORE}: every touch of a customer, versioned by when it
 *       happened, so "the last touch as of the order" is one lookup, however late the touch arrived;</li>
 *   <li>{@value #RECENT_ORDERS_STORE}: the customer's orders with the attribution last
 *       published for each, under {@code customerId|placedAt (19 digits)|orderId}, so the orders a late touch may
 *       explain are one range scan.</li>
 * </ul>
 */
final class CampaignAttributor {
    static final String TOUCH_HISTORY_STORE = "touch-history";
    static final String RECENT_ORDERS_STORE = "recent-orders";
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private CampaignAttributor() {
    }

    static Set<StoreBuilder<?>> stores(StateSerdes serdes) {
        return Set.of(
                Stores.versionedKeyValueStoreBuilder(
                        Stores.persistentVersionedKeyValueStore(TOUCH_HISTORY_STORE, AttributionRules.TOUCH_HISTORY),
                        Serdes.String(), serdes.of(Touch.class)),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RECENT_ORDERS_STORE),
                        Serdes.String(), serdes.of(Attribution.class)));
    }

    /** Both suppliers hand out the same store builders: Streams then connects one pair of stores to both. */
    static <V> ProcessorSupplier<String, V, String, Attribution> supplier(Supplier<Processor<String, V, String, Attribution>> processor,
                                                                        Set<StoreBuilder<?>> stores) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, V, String, Attribution> get() {
                return processor.get();
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return stores;
            }
        };
    }

    static String orderKey(String customerId, long placedAtMillis, String orderId) {
        return prefix(customerId, placedAtMillis) + orderId;
    }

    /** Fixed-width time keeps a customer's orders in time order under the store's byte order. */
    private static String prefix(String customerId, long millis) {
        return customerId + "|" + String.format("%019d", Math.max(0, millis)) + "|";
    }

    private abstract static class Base<V> implements Processor<String, V, String, Attribution> {
        ProcessorContext<String, Attribution> context;
        VersionedKeyValueStore<String, Touch> touches;
        KeyValueStore<String, Attribution> orders;

        @Override
        public void init(ProcessorContext<String, Attribution> context) {
            this.context = context;
            this.touches = context.getStateStore(TOUCH_HISTORY_STORE);
            this.orders = context.getStateStore(RECENT_ORDERS_STORE);
        }

        /** As of the order's placedAt: a touch that happened later is not seen, however early it arrived. */
        Attribution attribute(Attribution order) {
            VersionedRecord<Touch> last = touches.get(order.getCustomerId(), order.getPlacedAt().toEpochMilli());
            return AttributionRules.attribute(order, last == null ? null : last.value());
        }
    }

    /** An order: attributed, published, and kept as long as a late touch may still change its attribution. */
    static final class OnOrder extends Base<Attribution> {
        @Override
        public void init(ProcessorContext<String, Attribution> context) {
            super.init(context);
            context.schedule(PRUNE_EVERY, PunctuationType.STREAM_TIME, this::prune);
        }

        @Override
        public void process(Record<String, Attribution> record) {
            Attribution attributed = attribute(record.value());
            long placedAt = attributed.getPlacedAt().toEpochMilli();
            if (placedAt >= horizon(context.currentStreamTimeMs())) {
                orders.put(orderKey(attributed.getCustomerId(), placedAt, attributed.getOrderId()), attributed);
            }
            context.forward(record.withKey(attributed.getOrderId()).withValue(attributed));
        }

        /**
         * Forgets orders no accepted touch can change any more. A full scan, as the keys are ordered by customer
         * first; the store holds only {@link AttributionRules#ORDER_RETENTION} of orders.
         */
        private void prune(long streamTime) {
            long horizon = horizon(streamTime);
            List<String> expired = new ArrayList<>();
            try (KeyValueIterator<String, Attribution> all = orders.all()) {
                while (all.hasNext()) {
                    KeyValue<String, Attribution> entry = all.next();
                    if (entry.value.getPlacedAt().toEpochMilli() < horizon) {
                        expired.add(entry.key);
                    }
                }
            }
            expired.forEach(orders::delete);
        }

        private static long horizon(long streamTime) {
            return streamTime - AttributionRules.ORDER_RETENTION.toMillis();
        }
    }

    /**
     * A touch: added to the customer's history at when it happened, then each of the customer's orders it may
     * explain (placed in the window after it) is attributed again, and published again if its credit changed. A
     * touch arriving in order explains no stored order, and the scan finds nothing.
     */
    static final class OnTouch extends Base<Touch> {
        @Override
        public void process(Record<String, Touch> record) {
            Touch touch = record.value();
            String customerId = touch.getCustomerId();
            long at = touch.getOccurredAt().toEpochMilli();
            if (touches.put(customerId, touch, at) == VersionedKeyValueStore.PUT_RETURN_CODE_NOT_PUT) {
                // older than the store's history (the store logs it and counts it as dropped): every order it
                // could explain is final by now
                return;
            }
            List<KeyValue<String, Attribution>> changed = new ArrayList<>();
            try (KeyValueIterator<String, Attribution> explained = orders.range(prefix(customerId, at),
                    prefix(customerId, at + AttributionRules.WINDOW.toMillis() + 1))) {
                while (explained.hasNext()) {
                    KeyValue<String, Attribution> entry = explained.next();
                    // another customer's id may extend this one's past the separator
                    if (!entry.value.getCustomerId().equals(customerId)) {
                        continue;
                    }
                    Attribution now = attribute(entry.value);
                    if (!AttributionRules.sameCredit(now, entry.value)) {
                        changed.add(KeyValue.pair(entry.key, now));
                    }
                }
            }
            // written after the scan: the iterator must not see its own updates
            for (KeyValue<String, Attribution> update : changed) {
                orders.put(update.key, update.value);
                context.forward(record.withKey(update.value.getOrderId()).withValue(update.value));
            }
        }
    }
}
