package io.incidentanalyzer.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.Drafts;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalSeries;
import io.incidentanalyzer.model.StatusUpdate;
import io.incidentanalyzer.model.TimelineEntry;
import io.incidentanalyzer.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The engineer pages, drawn by their Mustache templates: whatever an incident or an engineer
 * carries (title, evidence, drafts, edits, actor names, skipped records) renders as text.
 */
class EngineerPagesTest {
    private static final long T0 = ReviewFixtures.T0;
    private static final String HOSTILE = "<script>alert('x')</script> & \"more\"";
    private static final String ESCAPED =
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;";
    private static final String ID = "shop-1";

    private final JobConfig config =
            JobConfigLoader.parse(
                    "environment: shop\n"
                            + Fixtures.kafkaYaml("shop")
                            + """
                              services:
                                web-app: {displayName: Web app}
                                db: {displayName: Database}
                              components:
                                - {name: Checkout, group: Shop, services: [web-app]}
                              """,
                    "engineer.yaml");
    private final ReviewState state = new ReviewState();
    private final List<ReviewLog.Skipped> skipped = new ArrayList<>();
    private final EngineerPages pages = new EngineerPages(config, state, () -> skipped);

    private static Signal errors(String service) {
        return ReviewFixtures.errors(service, "errors " + HOSTILE);
    }

    /** An incident whose analyzer-made text all carries {@code HOSTILE}. */
    private void hostileIncident() {
        Signal web = errors("web-app");
        Signal db = errors("db");
        Drafts drafts =
                new Drafts(
                        List.of(
                                new TimelineEntry(
                                        T0,
                                        "Fri " + HOSTILE,
                                        "07:26",
                                        "Errors " + HOSTILE,
                                        List.of(web.id()))),
                        List.of(
                                new StatusUpdate(
                                        T0,
                                        IncidentStatus.INVESTIGATING,
                                        "Draft " + HOSTILE,
                                        List.of(),
                                        false)),
                        List.of(),
                        "# Postmortem " + HOSTILE,
                        List.of(
                                new SignalSeries(
                                        web.id(),
                                        "web-app",
                                        "errors " + HOSTILE,
                                        1,
                                        List.of(T0, T0 + 60_000),
                                        List.of(1.0, 40.0))),
                        "Public " + HOSTILE);
        state.apply(
                new IncidentEvent(
                        ID,
                        "shop",
                        IncidentEventType.OPENED,
                        T0,
                        IncidentStatus.INVESTIGATING,
                        T0,
                        null,
                        "Title " + HOSTILE,
                        web,
                        List.of(web, db),
                        List.of(
                                new RootCause(
                                        CauseKind.BAD_DEPLOY,
                                        "web-app",
                                        0.9,
                                        T0,
                                        List.of("Evidence " + HOSTILE),
                                        List.of(web.id())),
                                new RootCause(
                                        CauseKind.RESOURCE_SATURATION,
                                        "db",
                                        0.4,
                                        T0,
                                        List.of("More evidence " + HOSTILE),
                                        List.of(db.id()))),
                        List.of(
                                new RootCause(
                                        CauseKind.RESOURCE_SATURATION,
                                        "db",
                                        0.3,
                                        T0,
                                        List.of("Contributing " + HOSTILE),
                                        List.of(db.id()))),
                        List.of(),
                        drafts));
    }

    private void engineer(ReviewEvent.Action action, String title, String body) {
        state.apply(
                ReviewFixtures.review(
                        "r-" + action,
                        ID,
                        action,
                        "mallory " + HOSTILE,
                        CauseKind.BAD_DEPLOY,
                        "web-app",
                        title,
                        body,
                        List.of()));
    }

    @Test
    void textFromIncidentsAndEngineersIsEscapedOnEveryEngineerPage() {
        hostileIncident();
        engineer(ReviewEvent.Action.CONFIRM_ROOT_CAUSE, null, null);
        engineer(ReviewEvent.Action.PUBLISH_UPDATE, "Public " + HOSTILE, "Update " + HOSTILE);
        engineer(ReviewEvent.Action.PUBLISH_POSTMORTEM, null, "Edited postmortem " + HOSTILE);
        skipped.add(
                new ReviewLog.Skipped(
                        ReviewLog.Source.REVIEWS,
                        0,
                        7,
                        T0,
                        ReviewLog.Reason.NOT_JSON,
                        "Detail " + HOSTILE));

        String list =
                pages.list(
                        new EngineerAuth.Identity("alice " + HOSTILE, ReviewEvent.Auth.PASSWORD),
                        "csrf" + HOSTILE);
        String incident = pages.incident(state.incident(ID), "csrf" + HOSTILE);

        for (String html : List.of(list, incident)) {
            assertThat(html).doesNotContain("<script>").doesNotContain("\"more\"");
            assertThat(html.replace("<script src=\"/live.js\" defer></script>", ""))
                    .doesNotContain("<script");
            assertThat(html)
                    .contains("<input type=\"hidden\" name=\"csrf\" value=\"csrf" + ESCAPED);
        }
        assertThat(list)
                .contains("<title>Incidents · shop</title>")
                .contains("Signed in as alice " + ESCAPED)
                .contains(">Title " + ESCAPED + "</a>")
                .contains(
                        "Bad deploy on Web app ✓"
                                .replace("Bad deploy", CauseKind.BAD_DEPLOY.words()))
                .contains("1 update(s)")
                .contains("<td>Detail " + ESCAPED + "</td>");
        assertThat(incident)
                .contains("<title>Title " + ESCAPED + "</title>")
                .contains("<h1>Title " + ESCAPED + "</h1>")
                .contains("<li>Evidence " + ESCAPED + "</li>")
                .contains("<li>More evidence " + ESCAPED + "</li>")
                .contains(": Contributing " + ESCAPED + "</li>")
                .contains("decided by mallory " + ESCAPED)
                .contains("published by mallory " + ESCAPED)
                .contains("Public " + ESCAPED + "</b>")
                .contains("<p>Update " + ESCAPED + "</p>")
                .contains("value=\"Public " + ESCAPED + "\"")
                .contains(">Draft " + ESCAPED + "</textarea>")
                .contains("<h3>Fri " + ESCAPED + "</h3>")
                .contains("<li>07:26: Errors " + ESCAPED + "</li>")
                .contains("Published by mallory " + ESCAPED)
                .contains(">Edited postmortem " + ESCAPED + "</textarea>")
                // The first candidate has a series (a line), the second its figures (bars).
                .contains("aria-label=\"web-app errors " + ESCAPED + "\"><text")
                .contains("<polyline")
                .contains("aria-label=\"db errors " + ESCAPED + "\"><text");
    }

    @Test
    void everyFormCarriesTheCsrfTokenAndEveryLivePartHoldsNoField() {
        hostileIncident();
        String incident = pages.incident(state.incident(ID), "t0ken");

        Matcher forms =
                Pattern.compile(
                                "<form[^>]*>\\s*<input type=\"hidden\" name=\"csrf\""
                                        + " value=\"t0ken\">")
                        .matcher(incident);
        int withToken = 0;
        while (forms.find()) withToken++;
        // Confirm a candidate (two), override, publish the update, publish the postmortem.
        assertThat(withToken).isEqualTo(incident.split("<form", -1).length - 1).isEqualTo(5);
        for (String part :
                List.of(
                        "incident-head",
                        "candidates",
                        "contributing",
                        "published",
                        "timeline",
                        "postmortem-state")) {
            assertThat(incident).contains("<div id=\"" + part + "\" data-live-part>");
        }
        assertThat(incident)
                .contains("<main data-live data-incident=\"shop-1\">")
                .contains("<option value=\"RESOURCE_SATURATION\">")
                .contains("<option value=\"db\">Database</option>")
                .contains("— the analyzer's top candidate, not yet confirmed")
                .contains("maxlength=\"" + ReviewEvent.MAX_TITLE + "\"")
                .contains("value=\"Public " + ESCAPED + "\"")
                .contains("Public title (draft): <b>Public " + ESCAPED + "</b>");
    }

    @Test
    void anEmptyListSaysSoAndNamesTheLocalUser() {
        String list = pages.list(new EngineerAuth.Identity("bob", ReviewEvent.Auth.LOCAL), "t");

        assertThat(list)
                .contains("<p>No incident yet.</p>")
                .contains("Acting as bob, the local user")
                .doesNotContain("<table")
                .doesNotContain("Skipped records")
                .doesNotContain("<form");
    }
}
