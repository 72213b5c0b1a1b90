package io.incidentanalyzer.evaluate.nab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NabHeldOutTest {

    private static final List<String> NAMES =
            List.of(
                    "realTweets/Twitter_volume_AAPL.csv",
                    "realTweets/Twitter_volume_AMZN.csv",
                    "realTweets/Twitter_volume_CRM.csv",
                    "realTweets/Twitter_volume_CVS.csv",
                    "realTweets/Twitter_volume_FB.csv",
                    "realAdExchange/exchange-2_cpc_results.csv",
                    "realAdExchange/exchange-2_cpm_results.csv",
                    "realAdExchange/exchange-3_cpc_results.csv",
                    "realKnownCause/nyc_taxi.csv");

    @Test
    void everyCategoryIsDealtAlternatelyWithTheFirstToTheTuningHalf() {
        Map<String, Boolean> tuning = NabHeldOut.tuningHalf(NAMES);

        assertThat(tuning).hasSize(NAMES.size());
        assertThat(countTuning(tuning, "realTweets")).isEqualTo(3);
        assertThat(countTuning(tuning, "realAdExchange")).isEqualTo(2);
        assertThat(countTuning(tuning, "realKnownCause")).isEqualTo(1);
    }

    @Test
    void theSplitDependsOnTheNamesOnlyNotOnTheirOrder() {
        List<String> shuffled = new ArrayList<>(NAMES);
        Collections.reverse(shuffled);

        assertThat(NabHeldOut.tuningHalf(shuffled)).isEqualTo(NabHeldOut.tuningHalf(NAMES));
    }

    @Test
    void filesAreOrderedByTheirNameHash() {
        // the three AdExchange files by String.hashCode: the first and third go to tuning
        List<String> ad =
                NAMES.stream()
                        .filter(n -> n.startsWith("realAdExchange/"))
                        .sorted(java.util.Comparator.comparingInt(String::hashCode))
                        .toList();
        Map<String, Boolean> tuning = NabHeldOut.tuningHalf(NAMES);

        assertThat(ad.stream().map(tuning::get).toList()).containsExactly(true, false, true);
    }

    private static long countTuning(Map<String, Boolean> tuning, String category) {
        return tuning.entrySet().stream()
                .filter(e -> e.getKey().startsWith(category + "/") && e.getValue())
                .count();
    }
}
