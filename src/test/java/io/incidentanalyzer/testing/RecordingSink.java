package io.incidentanalyzer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.simulate.SimulationSink;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A simulation sink that keeps every record in memory, for tests that read the streams back. */
public final class RecordingSink implements SimulationSink {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One emitted record; {@code json} is the line as written. */
    public record Rec(StreamKind stream, long ts, String key, String json) {
        public JsonNode node() {
            try {
                return JSON.readTree(json);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Map<StreamKind, List<Rec>> records = new EnumMap<>(StreamKind.class);
    private final List<Long> ticks = new ArrayList<>();
    private boolean closed;

    public RecordingSink() {
        for (StreamKind k : StreamKind.values()) records.put(k, new ArrayList<>());
    }

    @Override
    public void emit(StreamKind stream, long ts, String key, String json) {
        records.get(stream).add(new Rec(stream, ts, key, json));
    }

    @Override
    public void tick(long eventTime) {
        ticks.add(eventTime);
    }

    @Override
    public void close() {
        closed = true;
    }

    public List<Rec> records(StreamKind stream) {
        return records.get(stream);
    }

    public List<Long> ticks() {
        return ticks;
    }

    public boolean closed() {
        return closed;
    }
}
