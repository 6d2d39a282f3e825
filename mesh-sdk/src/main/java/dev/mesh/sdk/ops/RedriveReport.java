package dev.mesh.sdk.ops;

import java.util.List;

/** What a redrive did: records republished to their origin topic, and those that still fail, with why. */
public record RedriveReport(String dlqTopic, List<DeadLetter> republished, List<StillFailing> stillFailing) {

    public record StillFailing(DeadLetter record, String rule, String reason) {
    }
}
