package io.incidentanalyzer.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON form of the job's output records (incident events, dead letters), in one place: the
 * Kafka sinks and the files {@code replay --out} writes hold the same bytes for the same record.
 */
public final class OutputJson {
    private OutputJson() {}

    /** A new mapper; ObjectMapper is thread-safe once configured, but not serializable. */
    public static ObjectMapper mapper() {
        return JsonMapper.builder().build();
    }
}
