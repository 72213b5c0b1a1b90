package io.incidentanalyzer.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * The {@code baseline:} block of a detector in the job file; each field left out takes the core's
 * default ({@code detect.baseline.BaselineSettings.from} lays these over its defaults).
 */
public record BaselineConfig(
        Duration halfLife,
        Integer warmup,
        Duration season,
        Integer seasonBins,
        Integer seasonMinPeriods,
        Double relativeFloor,
        Duration tailMemory,
        Duration shiftConfirm,
        Duration burstWindow,
        Boolean weekend)
        implements Serializable {}
