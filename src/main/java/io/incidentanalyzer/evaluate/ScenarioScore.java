package io.incidentanalyzer.evaluate;

import io.incidentanalyzer.simulate.GroundTruth.Cause;
import java.util.List;

/**
 * How the analyzer did on one scenario: each fault detected or not and how fast, each outage's root
 * cause ranked where, and the incidents that matched nothing.
 *
 * @param seed the seed it was simulated with
 * @param environment the job's environment: which system the scenario is of
 * @param events records replayed
 * @param incidents incidents the analyzer opened
 */
public record ScenarioScore(
        String scenario,
        long seed,
        String environment,
        long events,
        int incidents,
        List<FaultScore> faults,
        List<OutageScore> outages,
        List<String> falseIncidents) {

    /**
     * @param delaySeconds event time from the fault's onset to the first signal about it; null when
     *     not detected
     * @param firstSignal id of that signal
     * @param named for a contributing fault: its cause is among its outage's candidates or
     *     contributing causes
     * @param namedSeconds event time from the fault's onset to the first incident event of its
     *     outage that names its cause: as the top candidate for a root fault, among the
     *     contributing causes or candidates for a contributing one; null when never named so
     * @param twoXSeconds for a ramping fault, event time from its onset to its 2× moment, when its
     *     effect first reached twice a series' normal deviation ({@link EffectOnsets}); null
     *     otherwise
     * @param delayFrom2xSeconds event time from the 2× moment to the first signal; null when not
     *     detected or not ramping
     */
    public record FaultScore(
            String id,
            String kind,
            String role,
            String outage,
            Cause cause,
            boolean detected,
            Double delaySeconds,
            String firstSignal,
            boolean named,
            Double namedSeconds,
            Double twoXSeconds,
            Double delayFrom2xSeconds) {}

    /**
     * @param rank 1-based position of the true root cause among the main incident's candidates; 0
     *     when absent
     * @param candidates the main incident's candidates, best first
     * @param incidents ids of the incidents with signals about this outage's faults
     * @param identified the top candidate of the main incident's first IDENTIFIED event: the cause
     *     users were told; null when the incident was never identified
     */
    public record OutageScore(
            String id,
            Cause rootCause,
            int rank,
            List<Cause> candidates,
            int contributing,
            int contributingFound,
            List<String> incidents,
            Cause identified) {
        public boolean top1() {
            return rank == 1;
        }

        /** The cause users were told at IDENTIFIED is the root cause. */
        public boolean identifiedTop1() {
            return rootCause.equals(identified);
        }

        public boolean top3() {
            return rank >= 1 && rank <= 3;
        }
    }
}
