package io.incidentanalyzer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The 2× moment of a ramping effect, on series sampled every 10 s. */
class EffectOnsetsTest {
    private static final long ONSET = 1_710_000_000_000L;

    /** An hour of 100 ± 2 on a slow slope, then an effect growing 0.1 per second from ONSET. */
    private static EffectOnsets.Series ramp(int sign, double perSecond) {
        Random rng = new Random(7);
        TreeMap<Long, Double> v = new TreeMap<>();
        for (long t = ONSET - 3_600_000; t < ONSET + 1_800_000; t += 10_000) {
            double trend = 100 + 10 * (t - ONSET) / 3_600_000.0;
            double effect = t >= ONSET ? perSecond * (t - ONSET) / 1000.0 : 0;
            v.put(t, trend + effect + 2 * rng.nextGaussian());
        }
        return new EffectOnsets.Series("m", v, sign);
    }

    @Test
    void theMomentIsWhenTheEffectReachesTwiceTheNormalDeviation() {
        // σ = 2 about the pre-onset line, so 2σ = 4 is reached 40 s after the onset
        Long at = EffectOnsets.twoX(ramp(1, 0.1), ONSET, ONSET + 1_800_000);
        assertThat(at).isNotNull();
        assertThat(at - ONSET).isBetween(20_000L, 60_000L);
    }

    @Test
    void aSlowerRampReachesItLater() {
        Long at = EffectOnsets.twoX(ramp(1, 0.01), ONSET, ONSET + 1_800_000);
        assertThat(at - ONSET).as("about 400 s").isBetween(300_000L, 500_000L);
    }

    @Test
    void anEffectAgainstTheRulesDirectionNeverReachesIt() {
        assertThat(EffectOnsets.twoX(ramp(-1, 0.1), ONSET, ONSET + 1_800_000)).isNull();
        assertThat(EffectOnsets.twoX(ramp(0, -0.1), ONSET, ONSET + 1_800_000)).isNotNull();
    }

    @Test
    void leastSquaresLine() {
        double[] line =
                EffectOnsets.leastSquares(new double[] {0, 1, 2, 3}, new double[] {1, 3, 5, 7});
        assertThat(line).containsExactly(1.0, 2.0);
    }
}
