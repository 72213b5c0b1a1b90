package io.incidentanalyzer.correlate.rank;

import java.util.Objects;

/**
 * A change on a node (deploy, config change, restart) at event time {@code at} (epoch ms).
 *
 * @param description what changed, quoted in the evidence
 */
public record Change(String node, long at, String description) {
    public Change {
        Objects.requireNonNull(node, "node");
        description = description == null ? "" : description;
    }
}
