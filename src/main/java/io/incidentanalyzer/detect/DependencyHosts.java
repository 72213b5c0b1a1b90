package io.incidentanalyzer.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Keyed state of the dependency-drift detector for one dependency: every caller that reported a
 * host for it within the no-data limit (at most {@code maxCallers}), in the order first seen. A
 * mutable Flink POJO.
 */
public class DependencyHosts {
    public List<CallerHost> callers = new ArrayList<>();

    /** The no-data timer currently registered, -1 when none. */
    public long timer = -1;

    public DependencyHosts() {}
}
