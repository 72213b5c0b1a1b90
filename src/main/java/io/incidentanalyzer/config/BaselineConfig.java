package io.incidentanalyzer.config;

import io.incidentanalyzer.detect.baseline.BaselineSettings;
import java.io.Serializable;
import java.time.Duration;

/**
 * The {@code baseline:} block of a detector in the job file; each field left out takes the core's
 * default ({@link BaselineSettings#DEFAULTS}).
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
        implements Serializable {

    /** The core's settings: these fields over its defaults. */
    public BaselineSettings settings() {
        BaselineSettings d = BaselineSettings.DEFAULTS;
        return new BaselineSettings(
                halfLife == null ? d.halfLife() : halfLife,
                warmup == null ? d.warmup() : warmup,
                season == null ? d.season() : season,
                seasonBins == null ? d.seasonBins() : seasonBins,
                seasonMinPeriods == null ? d.seasonMinPeriods() : seasonMinPeriods,
                relativeFloor == null ? d.relativeFloor() : relativeFloor,
                tailMemory == null ? d.tailMemory() : tailMemory,
                shiftConfirm == null ? d.shiftConfirm() : shiftConfirm,
                burstWindow == null ? d.burstWindow() : burstWindow,
                weekend == null ? d.weekend() : weekend);
    }
}
