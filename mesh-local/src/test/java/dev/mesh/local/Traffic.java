package dev.mesh.local;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Orders through sales' intake and their payments through finance's, at a steady rate, on a thread of its own. A
 * post that is refused with a 5xx or not answered is sent again with the same ids (an order is upserted by key, a
 * payment counted once per id), so what was acknowledged is known exactly: each order, once all its payments are
 * acknowledged, is in {@link #acknowledged()} with the settlement they imply.
 */
final class Traffic {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final BigDecimal TOTAL = new BigDecimal("10.00");
    private static final BigDecimal PART = new BigDecimal("4.00");

    /** An order whose payments were all acknowledged, and the settlement they imply. */
    record Sent(String orderId, String status, BigDecimal captured, BigDecimal refunded, int payments) {
        BigDecimal net() {
            return captured.subtract(refunded);
        }
    }

    private final HttpClient http;
    private final String sales;
    private final String finance;
    private final List<Sent> acknowledged = new CopyOnWriteArrayList<>();
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Thread thread;

    private Traffic(HttpClient http, String sales, String finance) {
        this.http = http;
        this.sales = sales;
        this.finance = finance;
    }

    static Traffic start(HttpClient http, String salesUrl, String financeUrl, String run, int orders, double perSecond) {
        Traffic traffic = new Traffic(http, salesUrl, financeUrl);
        traffic.thread = new Thread(() -> traffic.run(run, orders, perSecond), "traffic-" + run);
        traffic.thread.setDaemon(true);
        traffic.thread.start();
        return traffic;
    }

    private void run(String run, int orders, double perSecond) {
        long period = (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
        long next = System.nanoTime();
        try {
            for (int i = 0; i < orders && !Thread.currentThread().isInterrupted(); i++) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next += period;
                acknowledged.add(send(run + "-o" + i, i));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    /** Order i is paid in full, in part, or paid and refunded, by i % 3. */
    private Sent send(String orderId, int i) throws InterruptedException {
        post(sales + "/products/orders-v2", "{\"orderId\":\"" + orderId + "\",\"customerId\":\"c-" + i + "\","
                + "\"amount\":{\"value\":\"" + TOTAL + "\",\"currency\":\"EUR\"},"
                + "\"lines\":[{\"sku\":\"sku-1\",\"quantity\":1,\"unitPrice\":" + TOTAL + "}]}");
        return switch (i % 3) {
            case 0 -> {
                pay(orderId, "c", "CAPTURED", TOTAL);
                yield new Sent(orderId, "PAID", TOTAL, BigDecimal.ZERO, 1);
            }
            case 1 -> {
                pay(orderId, "c", "CAPTURED", PART);
                yield new Sent(orderId, "PARTIALLY_PAID", PART, BigDecimal.ZERO, 1);
            }
            default -> {
                pay(orderId, "c", "CAPTURED", TOTAL);
                pay(orderId, "r", "REFUNDED", TOTAL);
                yield new Sent(orderId, "REFUNDED", TOTAL, TOTAL, 2);
            }
        };
    }

    private void pay(String orderId, String suffix, String kind, BigDecimal amount) throws InterruptedException {
        post(finance + "/payments", "{\"paymentId\":\"p-" + orderId + "-" + suffix + "\",\"orderId\":\"" + orderId
                + "\",\"kind\":\"" + kind + "\",\"amount\":" + amount + ",\"currency\":\"EUR\"}");
    }

    private void post(String url, String body) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202) {
                    return;
                }
                if (r.statusCode() < 500) {
                    throw new AssertionError("POST " + url + " " + body + " refused " + r.statusCode() + ": " + r.body());
                }
                last = r.statusCode() + " " + r.body();
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            retries.incrementAndGet();
            Thread.sleep(200);
        }
        throw new AssertionError("POST " + url + " not acknowledged within " + PATIENCE + "; last answer " + last);
    }

    /** The orders acknowledged so far, each with all its payments. */
    List<Sent> acknowledged() {
        rethrow();
        return List.copyOf(acknowledged);
    }

    int retries() {
        return retries.get();
    }

    /** Waits until every order is sent and acknowledged. */
    void awaitDone(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        rethrow();
        if (thread.isAlive()) {
            throw new AssertionError("traffic still running after " + timeout + "; " + acknowledged.size() + " orders acknowledged");
        }
    }

    void stop() throws InterruptedException {
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(60));
    }

    private void rethrow() {
        Throwable e = failure.get();
        if (e != null) {
            throw new AssertionError("the traffic failed: " + e, e);
        }
    }
}
