package io.incidentanalyzer.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the error-pattern detector remembers of one service: its templates (at most {@code
 * maxTemplates}, in the order first seen) and since when it has written lines. A mutable Flink
 * POJO, kept in keyed state.
 */
public class TemplateBook {
    /** Event time of the service's first line: templates are judged new once it is old enough. */
    public long firstSeen = -1;

    /** The id the next new template gets. */
    public int nextId;

    public List<LogTemplate> templates = new ArrayList<>();

    /** The clear timer currently registered, -1 when none. */
    public long timer = -1;

    public TemplateBook() {}
}
