package dev.mesh.catalog.slo;

import dev.mesh.catalog.TopicState;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.ops.ConsumerLag;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A product's objectives judged against what was observed: freshness now, volume and dead-letter ratio over the
 * contract's window (from the oldest sample at least a window old, so nothing is judged on less than a window),
 * consumer time lag per reading group now.
 */
final class SloJudge {
    static final String FRESHNESS = "freshness";
    static final String VOLUME = "volume";
    static final String DEAD_LETTER_RATIO = "deadLetterRatio";
    static final String CONSUMER_LAG = "consumerLag";
    static final String LATENCY = "latency";
    /** An upper bound is in WARN from this share of it on. */
    static final double WARN_AT = 0.8;

    private SloJudge() {
    }

    /** One objective judged. */
    record Judgement(String slo, SloState state, Double value, double objective, String unit, String detail) {
    }

    /**
     * A product's topic as probed at {@code at}.
     *
     * @param end         the sum of its end offsets (only grows)
     * @param deadLetters its dead letters in every queue, null while they were never measured
     */
    record Sample(Instant at, long end, Long deadLetters) {
    }

    static List<Judgement> judge(ProductEntry p, TopicState topic, Optional<Duration> inputLag, List<ConsumerLag> lags,
                                 List<Sample> samples, Instant now) {
        return judge(p, topic, inputLag, lags, samples, now, Optional.empty());
    }

    /**
     * @param samples the product's samples, oldest first, the last one taken now
     * @param latency for a derived product, the latency stamped on its newest records, if any
     */
    static List<Judgement> judge(ProductEntry p, TopicState topic, Optional<Duration> inputLag, List<ConsumerLag> lags,
                                 List<Sample> samples, Instant now, Optional<Duration> latency) {
        List<Judgement> out = new ArrayList<>();
        if (p.freshness() != null) {
            out.add(freshness(Duration.parse(p.freshness()), topic, inputLag, now));
        }
        ProductEntry.Objectives o = p.objectives();
        if (o == null) {
            return out;
        }
        Duration window = Duration.parse(o.window());
        Optional<Sample> base = samples.stream().filter(s -> !s.at().isAfter(now.minus(window))).reduce((a, b) -> b);
        Sample last = samples.get(samples.size() - 1);
        if ((o.volumeMin() != null || o.volumeMax() != null) && base.isPresent()) {
            out.add(volume(o, window, base.get(), last));
        }
        if (o.deadLetterRatio() != null && base.isPresent() && base.get().deadLetters() != null && last.deadLetters() != null) {
            out.add(deadLetterRatio(o.deadLetterRatio(), base.get(), last));
        }
        if (o.consumerLag() != null) {
            out.add(consumerLag(Duration.parse(o.consumerLag()), lags));
        }
        if (o.latency() != null && latency.isPresent()) {
            out.add(upper(LATENCY, latency.get().toMillis() / 1000.0, Duration.parse(o.latency()).toMillis() / 1000.0, "s",
                    "the newest derived records"));
        }
        return out;
    }

    private static Judgement freshness(Duration slo, TopicState topic, Optional<Duration> inputLag, Instant now) {
        double objective = slo.toMillis() / 1000.0;
        if (!topic.exists()) {
            return new Judgement(FRESHNESS, SloState.BREACHED, null, objective, "s", "topic " + topic.topic() + " does not exist");
        }
        if (topic.newest() == null) {
            return new Judgement(FRESHNESS, SloState.BREACHED, null, objective, "s", "no records");
        }
        double age = Math.max(0, Duration.between(topic.newest(), now).toMillis()) / 1000.0;
        double lag = inputLag.map(l -> l.toMillis() / 1000.0).orElse(0.0);
        String detail = lag > age ? "its Streams app is " + Math.round(lag) + " s behind its inputs" : "newest record " + Math.round(age) + " s old";
        return upper(FRESHNESS, Math.max(age, lag), objective, "s", detail);
    }

    /** Records per window, scaled from the span between the two samples (at least a window, up to a period more). */
    private static Judgement volume(ProductEntry.Objectives o, Duration window, Sample base, Sample last) {
        long span = Math.max(1, Duration.between(base.at(), last.at()).toMillis());
        double records = Math.max(0, last.end() - base.end()) * (double) window.toMillis() / span;
        double value = Math.round(records);
        String per = "records per " + window.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
        if (o.volumeMin() != null && value < o.volumeMin()) {
            return new Judgement(VOLUME, SloState.BREACHED, value, o.volumeMin(), "records", "below the minimum of " + o.volumeMin() + " " + per);
        }
        if (o.volumeMax() != null && value > o.volumeMax()) {
            return new Judgement(VOLUME, SloState.BREACHED, value, o.volumeMax(), "records", "above the maximum of " + o.volumeMax() + " " + per);
        }
        return new Judgement(VOLUME, SloState.OK, value, o.volumeMin() != null ? o.volumeMin() : o.volumeMax(), "records", per);
    }

    private static Judgement deadLetterRatio(double objective, Sample base, Sample last) {
        long dead = Math.max(0, last.deadLetters() - base.deadLetters());
        long written = Math.max(0, last.end() - base.end());
        double ratio = dead == 0 ? 0 : dead / (double) (dead + written);
        return upper(DEAD_LETTER_RATIO, ratio, objective, "ratio", dead + " dead letters, " + written + " records");
    }

    private static Judgement consumerLag(Duration slo, List<ConsumerLag> lags) {
        double objective = slo.toMillis() / 1000.0;
        Optional<ConsumerLag> worst = lags.stream().filter(l -> l.timeLag().isPresent())
                .max(Comparator.comparing(l -> l.timeLag().get()));
        if (worst.isEmpty()) {
            return new Judgement(CONSUMER_LAG, SloState.OK, 0.0, objective, "s", "every reading group is up to date");
        }
        double lag = worst.get().timeLag().get().toMillis() / 1000.0;
        return upper(CONSUMER_LAG, lag, objective, "s", "group " + worst.get().group());
    }

    private static Judgement upper(String slo, double value, double objective, String unit, String detail) {
        SloState state = value > objective ? SloState.BREACHED : value > objective * WARN_AT ? SloState.WARN : SloState.OK;
        return new Judgement(slo, state, value, objective, unit, detail);
    }
}
