package io.incidentanalyzer.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ComponentState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What really happened in a simulated scenario, written by the simulator next to the streams
 * ({@code truth.json}) and read by {@code evaluate}: every injected fault with its event-time onset
 * and end, and every outage with its root cause, contributing faults and the expected states of the
 * status-page components. Times are UTC instants.
 *
 * @param events number of records written per stream (metrics, auth, logs, changes)
 */
public record GroundTruth(
        String scenario,
        long seed,
        String environment,
        String timeZone,
        Instant start,
        Instant end,
        Map<String, Long> events,
        List<Outage> outages,
        List<Fault> faults) {

    public static final String FILE_NAME = "truth.json";

    /** A cause: what kind of thing, on which service. */
    public record Cause(CauseKind kind, String service) {
        @Override
        public String toString() {
            return kind + "@" + service;
        }
    }

    /**
     * One injected fault as it played out.
     *
     * @param outage id of the outage it belongs to (its own id when it is a root fault)
     * @param end when its effect stopped (its until, the action that stopped it, or the end)
     * @param affectedServices services whose metrics or logs the fault changed, itself first
     */
    public record Fault(
            String id,
            FaultKind kind,
            FaultRole role,
            String outage,
            Cause cause,
            Instant onset,
            Instant end,
            List<String> affectedServices,
            String description) {}

    /**
     * One outage: a root fault and the faults that made it worse.
     *
     * @param id the root fault's id
     * @param end when every affected service was healthy again (backlogs drained)
     * @param contributing ids of the contributing faults, by onset
     * @param components the components that left "operational", each with its worst state and the
     *     window it was not operational
     */
    public record Outage(
            String id,
            Instant onset,
            Instant end,
            Cause rootCause,
            List<String> contributing,
            List<Component> components) {}

    /** A status-page component's worst state during an outage and when it was not operational. */
    public record Component(String name, ComponentState state, Instant from, Instant to) {}

    private static final ObjectMapper JSON =
            JsonMapper.builder()
                    .addModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .build();

    public void write(Path file) {
        try {
            Files.writeString(file, JSON.writeValueAsString(this) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GroundTruth read(Path file) {
        try {
            return JSON.readValue(file.toFile(), GroundTruth.class);
        } catch (IOException e) {
            throw new ConfigException(
                    file
                            + ": not a ground-truth file written by simulate ("
                            + e.getMessage()
                            + ")");
        }
    }

    /** The fault with this id, or null. */
    public Fault fault(String id) {
        return faults.stream().filter(f -> f.id().equals(id)).findFirst().orElse(null);
    }
}
