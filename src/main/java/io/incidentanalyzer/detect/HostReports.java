package io.incidentanalyzer.detect;

import io.incidentanalyzer.model.LogEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Reads the dependency hosts out of log lines: one {@link HostReport} per watched attribute a line
 * carries (detectors.dependencyDrift.attributes), none for other lines, so only these few records
 * travel to the drift detector. A dependency reporting its own host is not a caller and is skipped.
 */
public final class HostReports implements FlatMapFunction<LogEvent, HostReport> {
    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, String> attributes;

    /** {@code attributes}: log attribute → the dependency it names the host of. */
    public HostReports(Map<String, String> attributes) {
        this.attributes = new LinkedHashMap<>(attributes);
    }

    @Override
    public void flatMap(LogEvent e, Collector<HostReport> out) {
        Map<String, String> attrs = e.attributes();
        if (attrs == null || attrs.isEmpty()) return;
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            String host = attrs.get(a.getKey());
            if (host == null || host.isBlank() || a.getValue().equals(e.service())) continue;
            out.collect(new HostReport(e.ts(), a.getValue(), e.service(), host.trim()));
        }
    }
}
