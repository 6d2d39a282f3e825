package dev.mesh.catalog.slo;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * A change of an objective's state: a record of {@code _mesh.alerts} (keyed by topic) and the body of the owner's
 * webhook call. {@code from} is {@code OK} for an objective never evaluated before.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SloAlert(String product, String topic, String slo, SloState from, SloState to, Double value,
                       double objective, String unit, String detail, String owner, String contact, Instant at) {

    static SloAlert of(SloReading reading, SloState from, String contact) {
        return new SloAlert(reading.product(), reading.topic(), reading.slo(), from, reading.state(), reading.value(),
                reading.objective(), reading.unit(), reading.detail(), reading.owner(), contact, reading.at());
    }
}
