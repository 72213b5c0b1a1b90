package io.incidentanalyzer.detect.auth;

import io.incidentanalyzer.config.DurationText;
import io.incidentanalyzer.config.EpisodeSettings;
import io.incidentanalyzer.model.HeavyHitter;
import io.incidentanalyzer.model.Measured;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The open/update/clear life of an {@link AuthEpisode}, one judged bucket at a time, shared by the
 * auth detectors: the signal kind, subject and evidence are data the detector passes in.
 *
 * <ul>
 *   <li>An abnormal bucket (stormy, spiking) starts a pending episode ({@link #start}); a bucket
 *       that is not abnormal before {@code sustain} has passed drops it ({@link #breaks}).
 *   <li>Every bucket of an episode is {@link #record recorded}, then {@link #judge judged}: once
 *       the episode has lasted {@code sustain} it opens (OPEN); while open, a bucket that reaches
 *       {@value #UPDATE_STEP} times the last reported peak is an UPDATE, and so is the current
 *       bucket when the last report is {@code reportEvery} old; calm buckets for {@code clearAfter}
 *       clear it (CLEAR), which ends the episode.
 * </ul>
 */
final class EpisodeMachine implements Serializable {
    private static final long serialVersionUID = 1L;

    /** An UPDATE needs a bucket this many times the last reported peak. */
    static final double UPDATE_STEP = 1.25;

    /** The detector's findings for a report of the episode. */
    @FunctionalInterface
    interface Evidence {
        Findings of(AuthEpisode ep);
    }

    /**
     * What a report says beyond the episode's figures.
     *
     * @param lines the evidence in words, in a list the machine may extend
     * @param heavyHitter the value behind most of the excess, or null
     */
    record Findings(List<String> lines, HeavyHitter heavyHitter) {
        /** Evidence without a heavy hitter. */
        static Findings of(List<String> lines) {
            return new Findings(lines, null);
        }
    }

    private final SignalKind kind;
    private final String idPrefix;
    private final String environment;
    private final Severity severity;
    private final Duration bucket;
    private final long bucketMs;
    private final Duration sustain;
    private final Duration clearAfter;
    private final long reportEveryMs;

    EpisodeMachine(SignalKind kind, String environment, EpisodeSettings settings) {
        this.kind = kind;
        this.idPrefix = kind.name().toLowerCase(Locale.ROOT).replace('_', '-') + ":";
        this.environment = environment;
        this.severity = settings.severity();
        this.bucket = settings.bucket();
        this.bucketMs = bucket.toMillis();
        this.sustain = settings.sustain();
        this.clearAfter = settings.clearAfter();
        this.reportEveryMs = settings.reportEvery().toMillis();
    }

    /** Whether a pending episode ends at this bucket: it stopped being abnormal too soon. */
    static boolean breaks(AuthEpisode ep, boolean abnormal) {
        return ep != null && !ep.open && !abnormal;
    }

    /** A pending episode whose first abnormal bucket starts at {@code bucketStart}. */
    static AuthEpisode start(long bucketStart) {
        AuthEpisode ep = new AuthEpisode();
        ep.onset = bucketStart;
        return ep;
    }

    /** Adds the figures of a bucket that belongs to the episode; its evidence is the detector's. */
    static void record(AuthEpisode ep, long end, long n, double expected, double deviation) {
        ep.buckets++;
        ep.events += n;
        ep.expected += expected;
        if (n > ep.peak) {
            ep.peak = n;
            ep.peakTs = end;
        }
        ep.lastEnd = end;
        ep.last = n;
        ep.lastExpected = expected;
        ep.lastDeviation = deviation;
    }

    /**
     * Judges the bucket [{@code start}, {@code end}) just recorded into {@code ep}.
     *
     * @return the report it calls for, or null; after a CLEAR the episode is over
     */
    Signal judge(
            AuthEpisode ep,
            boolean calm,
            long start,
            long end,
            String service,
            String subject,
            Measured measured,
            Evidence evidence) {
        if (!ep.open) {
            if (end - ep.onset < sustain.toMillis()) return null;
            ep.open = true;
            ep.signalId = idPrefix + environment + ":" + service + "/" + subject + ":" + ep.onset;
            return reported(ep, service, subject, measured, SignalState.OPEN, end, evidence);
        }
        if (calm) {
            if (ep.calmSince < 0) ep.calmSince = start;
            if (end - ep.calmSince < clearAfter.toMillis()) {
                return reportIfDue(ep, service, subject, measured, end, evidence);
            }
            Findings findings = evidence.of(ep);
            findings.lines()
                    .add(
                            String.format(
                                    Locale.ROOT,
                                    "calm since %s (clear after %s)",
                                    Instant.ofEpochMilli(ep.calmSince),
                                    DurationText.format(clearAfter)));
            return signal(ep, service, subject, measured, SignalState.CLEAR, end, findings, end);
        }
        ep.calmSince = -1;
        if (ep.peak >= UPDATE_STEP * ep.reportedPeak) {
            return reported(ep, service, subject, measured, SignalState.UPDATE, end, evidence);
        }
        return reportIfDue(ep, service, subject, measured, end, evidence);
    }

    /** An UPDATE with the current bucket when the last report is reportEvery old. */
    private Signal reportIfDue(
            AuthEpisode ep,
            String service,
            String subject,
            Measured measured,
            long end,
            Evidence evidence) {
        if (end - ep.reportedAt < reportEveryMs) return null;
        Signal s =
                signal(
                        ep,
                        service,
                        subject,
                        measured,
                        SignalState.UPDATE,
                        end,
                        evidence.of(ep),
                        end);
        ep.reportedAt = end;
        return s;
    }

    /** An OPEN or a new peak's UPDATE: the peak it reports is the one to beat. */
    private Signal reported(
            AuthEpisode ep,
            String service,
            String subject,
            Measured measured,
            SignalState state,
            long end,
            Evidence evidence) {
        Signal s = signal(ep, service, subject, measured, state, end, evidence.of(ep), end);
        ep.reportedPeak = ep.peak;
        ep.reportedAt = end;
        return s;
    }

    /**
     * A report of the episode at {@code ts}, with rates per second. A CLEAR recovered when the calm
     * began, or at {@code recoveredOtherwise} when no calm confirmed it (the data stopped).
     */
    Signal signal(
            AuthEpisode ep,
            String service,
            String subject,
            Measured measured,
            SignalState state,
            long ts,
            Findings findings,
            long recoveredOtherwise) {
        return new Signal(
                ep.signalId,
                kind,
                environment,
                service,
                subject,
                state,
                ts,
                ep.onset,
                ep.peakTs,
                AuthEvents.perSecond(ep.peak, bucketMs),
                AuthEvents.perSecond(ep.last, bucketMs),
                AuthEvents.perSecond(ep.lastExpected, bucketMs),
                ep.peak / Math.max(ep.lastExpected, 1.0),
                severity,
                findings.lines(),
                state == SignalState.CLEAR
                        ? ep.calmSince >= 0 ? ep.calmSince : recoveredOtherwise
                        : -1,
                measured,
                findings.heavyHitter());
    }

    /** The latest bucket, e.g. "in the 10s to 2024-02-16T07:26:30Z: 89.0/s". */
    String latestBucket(AuthEpisode ep) {
        return String.format(
                Locale.ROOT,
                "in the %s to %s: %s",
                DurationText.format(bucket),
                Instant.ofEpochMilli(ep.lastEnd),
                AuthEvents.rate(ep.last, bucketMs));
    }

    /** The latest bucket against its baseline, e.g. "6.6× the baseline of 13.4/s (deviation …)". */
    String againstBaseline(AuthEpisode ep) {
        double ratio = AuthEvents.ratio(ep.last, ep.lastExpected);
        return String.format(
                Locale.ROOT,
                "%s the baseline of %s (deviation %.1f)",
                Double.isInfinite(ratio) ? "above" : String.format(Locale.ROOT, "%.1f×", ratio),
                AuthEvents.rate(ep.lastExpected, bucketMs),
                ep.lastDeviation);
    }

    /** The run so far, e.g. "stormy since … (sustain 30s); peak 89.0/s at …". */
    String since(String abnormal, AuthEpisode ep) {
        return String.format(
                Locale.ROOT,
                "%s since %s (sustain %s); peak %s at %s",
                abnormal,
                Instant.ofEpochMilli(ep.onset),
                DurationText.format(sustain),
                AuthEvents.rate(ep.peak, bucketMs),
                Instant.ofEpochMilli(ep.peakTs));
    }
}
