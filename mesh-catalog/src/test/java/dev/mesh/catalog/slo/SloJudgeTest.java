package dev.mesh.catalog.slo;

import dev.mesh.catalog.TopicState;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.ops.ConsumerLag;
import dev.mesh.sdk.ops.ConsumerLag.PartitionLag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SloJudgeTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    private static ProductEntry product(String freshness, ProductEntry.Objectives objectives) {
        return new ProductEntry("qa.beats", "1.0.0", 1, "qa.beats.v1", null, null, "qa", "qa@x", "", "id", "internal",
                List.of(), "BACKWARD", freshness, null, 1, null, "delete", List.of(), List.of(), 1, "app", null, NOW, null, null, objectives);
    }

    private static TopicState topic(Instant newest, long end) {
        return new TopicState("qa.beats.v1", true, 1, end, newest, end);
    }

    private static SloJudge.Judgement only(List<SloJudge.Judgement> judgements, String slo) {
        return judgements.stream().filter(j -> j.slo().equals(slo)).findFirst().orElseThrow();
    }

    @Test
    void freshnessWarnsFromEightyPercentAndBreachesPastTheObjective() {
        ProductEntry p = product("PT10S", null);
        List<SloJudge.Sample> samples = List.of(new SloJudge.Sample(NOW, 5, 0L));
        assertThat(only(SloJudge.judge(p, topic(NOW.minusSeconds(7), 5), Optional.empty(), List.of(), samples, NOW), "freshness").state())
                .isEqualTo(SloState.OK);
        assertThat(only(SloJudge.judge(p, topic(NOW.minusSeconds(9), 5), Optional.empty(), List.of(), samples, NOW), "freshness").state())
                .isEqualTo(SloState.WARN);
        SloJudge.Judgement stale = only(SloJudge.judge(p, topic(NOW.minusSeconds(11), 5), Optional.empty(), List.of(), samples, NOW), "freshness");
        assertThat(stale.state()).isEqualTo(SloState.BREACHED);
        assertThat(stale.value()).isEqualTo(11.0);
        // a derived product whose app is behind its inputs is as stale as that, however recent its last output
        SloJudge.Judgement behind = only(SloJudge.judge(p, topic(NOW, 5), Optional.of(Duration.ofSeconds(30)), List.of(), samples, NOW), "freshness");
        assertThat(behind.state()).isEqualTo(SloState.BREACHED);
        assertThat(behind.detail()).contains("behind its inputs");
        SloJudge.Judgement empty = only(SloJudge.judge(p, topic(null, 0), Optional.empty(), List.of(), samples, NOW), "freshness");
        assertThat(empty.state()).isEqualTo(SloState.BREACHED);
        assertThat(empty.value()).isNull();
        assertThat(only(SloJudge.judge(p, new TopicState("qa.beats.v1", false, 0, 0, null, 0), Optional.empty(), List.of(), samples, NOW), "freshness").detail())
                .contains("does not exist");
    }

    @Test
    void volumeAndDeadLetterRatioAreJudgedOnlyOverAWholeWindow() {
        ProductEntry p = product(null, new ProductEntry.Objectives("PT1M", 100L, 1000L, 0.05, null, null));
        List<SloJudge.Sample> young = List.of(new SloJudge.Sample(NOW.minusSeconds(30), 0, 0L), new SloJudge.Sample(NOW, 500, 0L));
        assertThat(SloJudge.judge(p, topic(NOW, 500), Optional.empty(), List.of(), young, NOW)).isEmpty();

        // 90 s between the samples: 600 records then are 400 per minute
        List<SloJudge.Sample> samples = List.of(new SloJudge.Sample(NOW.minusSeconds(90), 0, 10L),
                new SloJudge.Sample(NOW.minusSeconds(30), 300, 10L), new SloJudge.Sample(NOW, 600, 50L));
        List<SloJudge.Judgement> j = SloJudge.judge(p, topic(NOW, 600), Optional.empty(), List.of(), samples, NOW);
        assertThat(only(j, "volume").value()).isEqualTo(400.0);
        assertThat(only(j, "volume").state()).isEqualTo(SloState.OK);
        assertThat(only(j, "deadLetterRatio").value()).isEqualTo(40 / 640.0);
        assertThat(only(j, "deadLetterRatio").state()).isEqualTo(SloState.BREACHED);

        List<SloJudge.Sample> quiet = List.of(new SloJudge.Sample(NOW.minusSeconds(60), 600, 50L), new SloJudge.Sample(NOW, 610, 50L));
        List<SloJudge.Judgement> q = SloJudge.judge(p, topic(NOW, 610), Optional.empty(), List.of(), quiet, NOW);
        assertThat(only(q, "volume").state()).isEqualTo(SloState.BREACHED);
        assertThat(only(q, "volume").detail()).contains("below the minimum of 100");
        assertThat(only(q, "deadLetterRatio").value()).isEqualTo(0.0);

        List<SloJudge.Sample> unmeasured = List.of(new SloJudge.Sample(NOW.minusSeconds(60), 600, null), new SloJudge.Sample(NOW, 700, 50L));
        assertThat(SloJudge.judge(p, topic(NOW, 700), Optional.empty(), List.of(), unmeasured, NOW)).extracting(SloJudge.Judgement::slo)
                .containsExactly("volume");
    }

    @Test
    void consumerLagIsTheWorstReadingGroups() {
        ProductEntry p = product(null, new ProductEntry.Objectives("PT5M", null, null, null, "PT1M", null));
        ConsumerLag fine = new ConsumerLag("fast", "qa.beats.v1", "qa.beats", List.of(new PartitionLag(0, 10, 10, 0, Optional.empty())));
        ConsumerLag slow = new ConsumerLag("slow", "qa.beats.v1", "qa.beats", List.of(new PartitionLag(0, 2, 10, 8, Optional.of(Duration.ofMinutes(2)))));
        SloJudge.Judgement j = only(SloJudge.judge(p, topic(NOW, 10), Optional.empty(), List.of(fine, slow),
                List.of(new SloJudge.Sample(NOW, 10, 0L)), NOW), "consumerLag");
        assertThat(j.state()).isEqualTo(SloState.BREACHED);
        assertThat(j.value()).isEqualTo(120.0);
        assertThat(j.detail()).isEqualTo("group slow");
        assertThat(only(SloJudge.judge(p, topic(NOW, 10), Optional.empty(), List.of(fine), List.of(new SloJudge.Sample(NOW, 10, 0L)), NOW),
                "consumerLag").state()).isEqualTo(SloState.OK);
    }
}
