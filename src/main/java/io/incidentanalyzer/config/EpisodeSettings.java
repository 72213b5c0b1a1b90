package io.incidentanalyzer.config;

import io.incidentanalyzer.model.Severity;
import java.time.Duration;

/**
 * The settings of an episode that is judged bucket by bucket (the auth detectors): how long it must
 * last before its signal opens, how long calm before it clears, how often it reports while open.
 */
public interface EpisodeSettings {
    Duration bucket();

    Duration sustain();

    Duration clearAfter();

    Duration reportEvery();

    Severity severity();
}
