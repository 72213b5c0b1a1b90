package io.incidentanalyzer.config;

import java.io.Serializable;

/** The job's Kafka topics: four inputs and two outputs. */
public record Topics(
        InputTopic metrics,
        InputTopic auth,
        InputTopic logs,
        InputTopic changes,
        String incidents,
        String deadLetter)
        implements Serializable {}
