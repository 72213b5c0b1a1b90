package io.incidentanalyzer.model;

/**
 * A record the pipeline could not use, kept with enough context to find, fix and replay it.
 *
 * @param reason machine-readable reason
 * @param detail what exactly was wrong, e.g. the missing field's name
 * @param sourceTopic the topic the record came from, or the operator that rejected it
 * @param partition the source partition; -1 when the record was rejected after decoding
 * @param offset the source offset; -1 when the record was rejected after decoding
 * @param raw the record's bytes: UTF-8 text, or base64 when they are not valid UTF-8
 * @param rawEncoding {@code utf-8} or {@code base64}
 */
public record DeadLetter(
        RejectReason reason,
        String detail,
        String sourceTopic,
        int partition,
        long offset,
        String raw,
        String rawEncoding) {}
