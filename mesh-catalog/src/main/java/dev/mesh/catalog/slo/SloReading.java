package dev.mesh.catalog.slo;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * One objective of one product as evaluated at {@code at}: a record of {@code _mesh.slo}, keyed
 * {@code <topic>/<slo>}.
 *
 * @param slo       {@code freshness}, {@code volume}, {@code deadLetterRatio} or {@code consumerLag}
 * @param since     when the objective entered {@code state}
 * @param value     what was measured, in {@code unit}; null when nothing could be (no topic, no record)
 * @param objective the bound the value is held to (for a volume, the one it breaks or the minimum)
 * @param detail    why, for people: e.g. {@code no records}, {@code group finance-order-settlements}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SloReading(String product, String topic, String owner, String slo, SloState state, Instant since,
                         Double value, double objective, String unit, String detail, Instant at) {

    public String key() {
        return key(topic, slo);
    }

    static String key(String topic, String slo) {
        return topic + "/" + slo;
    }
}
