package io.incidentanalyzer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultRunsTest {

    @Test
    void anIdenticalRunDiffersInNothing() {
        var clean = Map.of("i1", List.of("open", "update", "resolve"), "i2", List.of("open"));
        assertThat(FaultRuns.difference(clean, clean))
                .isEqualTo(new FaultRuns.Difference(2, 4, 0, 0, 0, 0));
    }

    @Test
    void aRepeatedRecordIsADuplicateAndALostOneIsMissing() {
        var clean = Map.of("i1", List.of("open", "update", "resolve"), "i2", List.of("open"));
        var run =
                Map.of(
                        "i1", List.of("open", "update", "update", "resolve"),
                        "i2", List.<String>of());
        assertThat(FaultRuns.difference(clean, run))
                .isEqualTo(new FaultRuns.Difference(2, 4, 1, 1, 0, 0));
    }

    @Test
    void aRecordTheCleanRunNeverWroteIsExtraAndASwapIsReordered() {
        var clean = Map.of("i1", List.of("open", "update", "resolve"));
        var run =
                Map.of("i1", List.of("open", "resolve", "update"), "i3", List.of("open elsewhere"));
        assertThat(FaultRuns.difference(clean, run))
                .isEqualTo(new FaultRuns.Difference(2, 4, 0, 0, 1, 1));
    }
}
