package io.incidentanalyzer.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.model.ComponentChange;
import io.incidentanalyzer.model.ComponentState;
import io.incidentanalyzer.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public status page, drawn by its Mustache template: escaped by default, published only. */
class StatusPagesTest {
    private static final long T0 = ReviewFixtures.T0;
    private static final String HOSTILE = "<script>alert('x')</script> & \"more\"";

    private final JobConfig config =
            JobConfigLoader.parse(
                    "environment: shop\n"
                            + Fixtures.kafkaYaml("shop")
                            + """
                              services:
                                web-app: {displayName: Web app}
                              components:
                                - {name: Checkout, group: Shop, services: [web-app]}
                              """,
                    "status.yaml");
    private final ReviewState state = new ReviewState();

    private void incident(String id, String analyzerTitle) {
        state.apply(ReviewFixtures.opened(id, "shop", analyzerTitle));
    }

    private void publish(String id, String title, String body) {
        state.apply(
                ReviewFixtures.review(
                        "u-" + id,
                        id,
                        ReviewEvent.Action.PUBLISH_UPDATE,
                        "alice",
                        null,
                        null,
                        title,
                        body,
                        List.of(
                                new ComponentChange(
                                        "Checkout",
                                        ComponentState.OPERATIONAL,
                                        ComponentState.MAJOR_OUTAGE))));
    }

    @Test
    void everyValueIsEscapedAndOnlyPublishedIncidentsShow() {
        incident("shop-1", "analyzer title one");
        incident("shop-2", "analyzer title two, unpublished");
        publish("shop-1", "Checkout " + HOSTILE, "We look into " + HOSTILE);

        String html = new StatusPages(config, state).html(T0 + 120_000);

        assertThat(html)
                .doesNotContain("<script")
                .contains(
                        "Checkout &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp;"
                                + " &quot;more&quot;")
                .contains("We look into &lt;script&gt;")
                .doesNotContain("analyzer title")
                .contains(
                        "<div class=\"banner major_outage\" id=\"banner\">Major system"
                                + " outage</div>")
                .contains("<h3>Feb, 2024</h3>")
                .contains("<h3>Jan, 2024</h3>")
                .contains("No notices reported this month")
                .contains("<title>shop status</title>")
                .contains("<link rel=\"stylesheet\" href=\"/style.css\">");
        // One bar a day, the last one today's (operational: the update published no windows).
        assertThat(html.split("<rect ", -1)).hasSize(StatusPages.DAYS + 1);
        assertThat(html).contains("<title>2024-02-16: Operational</title>");
    }
}
