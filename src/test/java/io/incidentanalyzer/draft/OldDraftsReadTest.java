package io.incidentanalyzer.draft;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.job.OutputJson;
import io.incidentanalyzer.model.Drafts;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.StatusUpdate;
import org.junit.jupiter.api.Test;

/**
 * Drafts written before public titles and intermediate updates existed still read: the new fields
 * come back empty, and the Statuspage document falls back to the internal title.
 */
class OldDraftsReadTest {

    private static final String OLD =
            """
            {"timeline":[],"statusUpdates":[{"ts":1708068390000,"status":"INVESTIGATING",\
            "body":"We are currently investigating this incident.","affectedComponents":[]}],\
            "components":[],"postmortem":"# Postmortem: x","series":[]}""";

    @Test
    void aDraftsRecordWithoutTheNewFieldsReadsWithNoPublicTitleAndNoIntermediateUpdate()
            throws Exception {
        Drafts d = OutputJson.mapper().readValue(OLD, Drafts.class);

        assertThat(d.publicTitle()).isNull();
        io.incidentanalyzer.model.IncidentEvent e =
                new io.incidentanalyzer.model.IncidentEvent(
                        "x",
                        "prod",
                        io.incidentanalyzer.model.IncidentEventType.OPENED,
                        1708068390000L,
                        IncidentStatus.INVESTIGATING,
                        1708068360000L,
                        null,
                        "internal title",
                        null,
                        java.util.List.of(),
                        java.util.List.of(),
                        java.util.List.of(),
                        java.util.List.of(),
                        d);
        assertThat(StatusPage.of(e).name()).isEqualTo("internal title");
        assertThat(d.statusUpdates())
                .singleElement()
                .satisfies(
                        u -> {
                            assertThat(u.status()).isEqualTo(IncidentStatus.INVESTIGATING);
                            assertThat(u.update()).isFalse();
                        });
    }

    @Test
    void theNewFieldsGoOutAndComeBack() throws Exception {
        StatusUpdate u =
                new StatusUpdate(
                        1L,
                        IncidentStatus.IDENTIFIED,
                        "Everything is running.",
                        java.util.List.of(),
                        true);
        Drafts d =
                new Drafts(
                        java.util.List.of(),
                        java.util.List.of(u),
                        java.util.List.of(),
                        "pm",
                        java.util.List.of(),
                        "Outage of Apps");
        String json = OutputJson.mapper().writeValueAsString(d);
        assertThat(json).contains("\"publicTitle\":\"Outage of Apps\"").contains("\"update\":true");
        assertThat(OutputJson.mapper().readValue(json, Drafts.class)).isEqualTo(d);
    }
}
