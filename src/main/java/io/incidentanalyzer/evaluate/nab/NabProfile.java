package io.incidentanalyzer.evaluate.nab;

import java.util.List;

/**
 * A NAB cost profile: what a true positive earns and what a false positive or a missed window costs
 * (NAB v1.1 {@code config/profiles.json}).
 */
public record NabProfile(String name, double tpWeight, double fpWeight, double fnWeight) {

    public static final NabProfile STANDARD = new NabProfile("standard", 1.0, 0.11, 1.0);
    public static final NabProfile REWARD_LOW_FP =
            new NabProfile("reward_low_FP_rate", 1.0, 0.22, 1.0);
    public static final NabProfile REWARD_LOW_FN =
            new NabProfile("reward_low_FN_rate", 1.0, 0.11, 2.0);

    /** The three profiles, in the order NAB reports them. */
    public static final List<NabProfile> ALL = List.of(STANDARD, REWARD_LOW_FP, REWARD_LOW_FN);
}
