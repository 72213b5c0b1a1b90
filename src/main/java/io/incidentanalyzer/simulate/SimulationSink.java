package io.incidentanalyzer.simulate;

import io.incidentanalyzer.ingest.StreamKind;
import java.io.IOException;

/**
 * Where the {@link Simulator} writes the four input streams: files ({@link DirectorySink}), Kafka
 * topics ({@link KafkaSink}), or a wrapper that paces them ({@link PacedSink}). The simulator calls
 * it from one thread.
 */
public interface SimulationSink extends AutoCloseable {
    /**
     * One record for an input stream; records of one stream arrive in non-decreasing ts. key =
     * service.
     *
     * @param ts the record's event time, epoch milliseconds (also inside {@code json})
     * @param json one native-JSON record (docs/formats.md), without a line break
     */
    void emit(StreamKind stream, long ts, String key, String json) throws IOException;

    /**
     * Called once per interval with its event time, before that interval's records (pacing hook).
     */
    default void tick(long eventTime) throws IOException {}

    @Override
    void close() throws IOException;
}
