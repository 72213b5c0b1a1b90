package io.incidentanalyzer.review;

import static io.incidentanalyzer.testing.Fixtures.signal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.draft.DraftState;
import io.incidentanalyzer.draft.Drafter;
import io.incidentanalyzer.job.OutputJson;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import io.incidentanalyzer.testing.KafkaBroker;
import io.incidentanalyzer.testing.KafkaTestClients;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The review service on a real broker: its state is Kafka, so a restart loses nothing. */
class ReviewServiceIT {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    private static final String TOKEN = "s3cret-token";

    /** The service's signing key, the same across a test's restarts. */
    private static final ReviewSigner SIGNER =
            ReviewSigner.of(
                    "a test key of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8));

    private static final long T0 = Instant.parse("2024-02-16T07:26:00Z").toEpochMilli();

    /** A log line an attacker controls: it becomes a template, a signal, a title. */
    private static final String HOSTILE = "<script>alert('x')</script> failed";

    /** What the tests publish: an update and a postmortem line. */
    private static final String UPDATE = "The database is overloaded; we are on it.";

    private static final String POSTMORTEM = "The database ran out of CPU.";

    /** The public title the tests publish. */
    private static final String TITLE = "Conversations are slow";

    private final HttpClient http = HttpClient.newHttpClient();
    private ReviewLog log;
    private ReviewServer server;
    private ReviewState state;
    private List<String> allowedHosts = List.of();
    private Users users;

    /** The service's wall clock, which a test may move on. */
    private final java.util.concurrent.atomic.AtomicLong now =
            new java.util.concurrent.atomic.AtomicLong(T0 + 3_600_000);

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
        if (log != null) log.close();
    }

    private static JobConfig config(String prefix) {
        return JobConfigLoader.parse(
                """
                environment: %1$s
                timeZone: Europe/Amsterdam
                clock: 12h
                topics:
                  metrics: {name: %1$s.metrics}
                  auth: {name: %1$s.auth}
                  logs: {name: %1$s.logs}
                  changes: {name: %1$s.changes}
                  incidents: %1$s.incidents
                  deadLetter: %1$s.dead-letter
                services:
                  database: {displayName: Database}
                  web-app: {displayName: Web app, dependsOn: [database]}
                components:
                  - {name: Conversations, group: Apps, services: [web-app]}
                """
                        .formatted(prefix),
                "jobs/review-it.yaml");
    }

    /** An incident opened and identified from a hostile log pattern, with its drafts. */
    private static List<IncidentEvent> incident(JobConfig config) {
        Signal s =
                signal(
                        SignalKind.ERROR_PATTERN,
                        "web-app",
                        HOSTILE,
                        SignalState.OPEN,
                        T0,
                        T0 + 30_000,
                        40,
                        40,
                        0,
                        Severity.MAJOR);
        RootCause top =
                new RootCause(
                        CauseKind.BAD_DEPLOY,
                        "web-app",
                        0.85,
                        T0,
                        List.of("new template \"" + HOSTILE + "\""),
                        List.of(s.id()));
        Drafter drafter = new Drafter(config);
        DraftState st = new DraftState();
        List<IncidentEvent> out = new java.util.ArrayList<>();
        for (var type : List.of(IncidentEventType.OPENED, IncidentEventType.IDENTIFIED)) {
            IncidentEvent e =
                    new IncidentEvent(
                            config.environment() + "-20240216T072600Z",
                            config.environment(),
                            type,
                            T0 + 30_000,
                            type == IncidentEventType.OPENED
                                    ? IncidentStatus.INVESTIGATING
                                    : IncidentStatus.IDENTIFIED,
                            T0,
                            null,
                            "web-app " + HOSTILE,
                            s,
                            List.of(s),
                            List.of(top),
                            List.of(),
                            List.of(),
                            null);
            drafter.update(st, e);
            out.add(e.withDrafts(drafter.render(st, e)));
        }
        return out;
    }

    private JobConfig prepare(TestInfo test) throws Exception {
        String prefix =
                "review-" + Math.abs(test.getTestMethod().orElseThrow().getName().hashCode());
        JobConfig config = config(prefix);
        KAFKA.kafka().createTopics(2, config.topics().incidents(), config.topics().reviews());
        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            for (IncidentEvent e : incident(config)) {
                kafka.send(
                        config.topics().incidents(),
                        e.incidentId(),
                        OutputJson.mapper().writeValueAsBytes(e));
            }
            kafka.flush();
        }
        return config;
    }

    private int start(JobConfig config, String bind, String token) throws Exception {
        return start(config, bind, token, null);
    }

    /** Starts the service; with a stub's address, it pushes published updates there, quickly. */
    private int start(JobConfig config, String bind, String token, URI push) throws Exception {
        state = new ReviewState();
        log =
                new ReviewLog(
                        KAFKA.bootstrapServers(),
                        Map.of(),
                        config.topics().incidents(),
                        config.topics().reviews(),
                        state,
                        SIGNER);
        log.start(Duration.ofMinutes(1));
        server = new ReviewServer(config, state, log, token, "alice", now::get);
        server.allowHosts(allowedHosts);
        if (users != null) server.useUsers(users);
        if (push != null) {
            server.pushTo(
                    push, "page-1", "api-token", Duration.ofMillis(50), Duration.ofMillis(200), 5);
        }
        return server.start(bind, 0);
    }

    private void restart() throws Exception {
        server.close();
        log.close();
        server = null;
        log = null;
    }

    private HttpResponse<String> get(int port, String path, String auth) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (auth != null) b.header("Authorization", auth);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A form POST as the engineer's browser sends it: with the session cookie and the CSRF token of
     * the page the form is on (fetched first, with the same Authorization header); {@code headers}
     * are extra name, value pairs (a browser's Origin, say).
     */
    private HttpResponse<String> post(
            int port, String path, Map<String, String> form, String... headers) throws Exception {
        String auth = null;
        for (int i = 0; i + 1 < headers.length; i += 2)
            if (headers[i].equals("Authorization")) auth = headers[i + 1];
        String[] session = session(port, path.substring(0, path.lastIndexOf('/')), auth);
        Map<String, String> withToken = new java.util.LinkedHashMap<>(form);
        List<String> all = new java.util.ArrayList<>(List.of(headers));
        if (session != null) {
            withToken.put("csrf", session[1]);
            all.addAll(List.of("Cookie", session[0]));
        }
        return postRaw(port, path, withToken, all.toArray(String[]::new));
    }

    /**
     * The session cookie ({@code name=value}) and CSRF token of a page's forms, or null when the
     * page has no form for this caller.
     */
    private String[] session(int port, String page, String auth) throws Exception {
        HttpResponse<String> r = get(port, page, auth);
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"")
                        .matcher(r.body());
        String cookie = r.headers().firstValue("Set-Cookie").orElse(null);
        if (!m.find() || cookie == null) return null;
        return new String[] {cookie.substring(0, cookie.indexOf(';')), m.group(1)};
    }

    /** A form POST exactly as given: no cookie, no CSRF token unless in {@code form}. */
    private HttpResponse<String> postRaw(
            int port, String path, Map<String, String> form, String... headers) throws Exception {
        String body =
                form.entrySet().stream()
                        .map(
                                e ->
                                        e.getKey()
                                                + "="
                                                + URLEncoder.encode(
                                                        e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"));
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A GET with this Host header over a plain socket (HttpClient will not set Host); the whole
     * response, status line first.
     */
    private static String getAs(String host, int port, String path) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write(
                            ("GET "
                                            + path
                                            + " HTTP/1.1\r\nHost: "
                                            + host
                                            + "\r\nConnection: close\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void everyReviewAndPublicationIsThereAgainAfterARestart(TestInfo test) throws Exception {
        JobConfig config = prepare(test);
        String id = config.environment() + "-20240216T072600Z";
        int port = start(config, "127.0.0.1", null);

        assertThat(get(port, "/", null).body()).contains("/incidents/" + id);
        for (var action : actions(id).entrySet()) {
            assertThat(post(port, action.getKey(), action.getValue()).statusCode())
                    .as(action.getKey())
                    .isEqualTo(303);
        }
        String before = get(port, "/status", null).body();
        assertThat(before).contains(UPDATE);

        restart();
        int again = start(config, "127.0.0.1", null);

        String page = get(again, "/incidents/" + id, null).body();
        assertThat(page)
                .contains("saturation under its own load on Database")
                .contains("decided by alice")
                .contains(UPDATE)
                .contains(POSTMORTEM);
        String status = get(again, "/status", null).body();
        assertThat(status)
                .contains(UPDATE)
                .contains(POSTMORTEM)
                .contains("Feb, 2024")
                .contains("No notices reported this month");
        String json = get(again, "/api/v2/incidents.json", null).body();
        assertThat(json).contains("\"status\":\"identified\"").contains("postmortem_body");
        assertThat(get(again, "/metrics", null).body())
                .contains("review_incidents_loaded 1.0")
                .contains(
                        "review_unreadable_records_total{topic=\"reviews\",reason=\"bad_signature\",}"
                            + " 0.0")
                .contains("review_http_requests_total");
    }

    @Test
    void textFromLogsRendersInertOnTheIncidentAndStatusPages(TestInfo test) throws Exception {
        JobConfig config = prepare(test);
        String id = config.environment() + "-20240216T072600Z";
        int port = start(config, "127.0.0.1", null);
        post(
                port,
                "/incidents/" + id + "/updates",
                Map.of(
                        "status",
                        "INVESTIGATING",
                        "body",
                        "Errors: " + HOSTILE,
                        "title",
                        "Errors: " + HOSTILE));

        for (String path : List.of("/", "/incidents/" + id, "/status")) {
            String body = get(port, path, null).body();
            assertThat(body)
                    .as(path)
                    .doesNotContain("<script>")
                    .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        }
    }

    @Test
    void offLoopbackTheEngineerPagesAskForTheTokenAndThePublicPageDoesNot(TestInfo test)
            throws Exception {
        JobConfig config = prepare(test);
        String id = config.environment() + "-20240216T072600Z";
        allowedHosts = List.of("127.0.0.1");
        int port = start(config, "0.0.0.0", TOKEN);

        assertThat(get(port, "/", null).statusCode()).isEqualTo(401);
        assertThat(get(port, "/incidents/" + id, null).statusCode()).isEqualTo(401);
        assertThat(post(port, "/incidents/" + id + "/postmortem", Map.of("body", "x")).statusCode())
                .isEqualTo(401);
        assertThat(get(port, "/", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get(port, "/", "Basic !!not-base64!!").statusCode()).isEqualTo(401);
        assertThat(get(port, "/", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        String basic =
                "Basic "
                        + java.util.Base64.getEncoder()
                                .encodeToString(("bob:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        assertThat(get(port, "/incidents/" + id, basic).statusCode()).isEqualTo(200);
        // A browser sends remembered Basic credentials with another site's form as well.
        assertThat(
                        post(
                                        port,
                                        "/incidents/" + id + "/postmortem",
                                        Map.of("body", "x"),
                                        "Authorization",
                                        basic,
                                        "Origin",
                                        "http://evil.example")
                                .statusCode())
                .isEqualTo(403);
        assertThat(state.reviews(id)).isEmpty();
        assertThat(get(port, "/status", null).statusCode()).isEqualTo(200);
        assertThat(get(port, "/api/v2/summary.json", null).statusCode()).isEqualTo(200);
        // The metrics count unpublished incidents and skipped records: engineers only.
        assertThat(get(port, "/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get(port, "/metrics", "Bearer " + TOKEN).body())
                .contains("review_incidents_loaded 1.0");
        // Off loopback only the bind address and the names given are answered.
        assertThat(getAs("localhost:" + port, port, "/status")).startsWith("HTTP/1.1 421");
        await().atMost(Duration.ofSeconds(5)).until(() -> log.unreadable() == 0);
    }

    @Test
    void offLoopbackWithoutATokenTheServiceRefusesToStart(TestInfo test) throws Exception {
        JobConfig config = prepare(test);
        assertThatThrownBy(() -> start(config, "0.0.0.0", null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("review --bind 0.0.0.0: not a loopback address")
                .hasMessageContaining("REVIEW_TOKEN");
    }

    /** Each state-changing route of an incident with a valid form for it. */
    private static Map<String, Map<String, String>> actions(String id) {
        Map<String, Map<String, String>> out = new java.util.LinkedHashMap<>();
        out.put(
                "/incidents/" + id + "/root-cause",
                Map.of("action", "override", "kind", "RESOURCE_SATURATION", "service", "database"));
        out.put(
                "/incidents/" + id + "/updates",
                Map.of("status", "IDENTIFIED", "body", UPDATE, "title", TITLE));
        out.put(
                "/incidents/" + id + "/postmortem",
                Map.of("body", "# What happened\n" + POSTMORTEM));
        return out;
    }

    @Test
    void formsPostedFromAnotherSiteAreRefusedAndRecordNothing(TestInfo test) throws Exception {
        JobConfig config = prepare(test);
        String id = config.environment() + "-20240216T072600Z";
        int port = start(config, "127.0.0.1", null);
        String self = "http://127.0.0.1:" + port;
        List<List<String>> crossSite =
                List.of(
                        List.of("Origin", "http://evil.example"),
                        List.of("Origin", "null"),
                        List.of("Origin", "http://localhost:" + port),
                        List.of("Sec-Fetch-Site", "cross-site"),
                        List.of("Sec-Fetch-Site", "same-site", "Origin", self));

        for (var action : actions(id).entrySet()) {
            for (List<String> headers : crossSite) {
                HttpResponse<String> r =
                        post(
                                port,
                                action.getKey(),
                                action.getValue(),
                                headers.toArray(String[]::new));
                assertThat(r.statusCode()).as(action.getKey() + " " + headers).isEqualTo(403);
                assertThat(r.body()).contains("cross-site request refused");
            }
        }
        assertThat(state.reviews(id)).isEmpty();
        assertThat(get(port, "/status", null).body())
                .doesNotContain(UPDATE)
                .doesNotContain(POSTMORTEM);

        // The service's own pages post same-origin, as a browser says so.
        for (var action : actions(id).entrySet()) {
            assertThat(
                            post(
                                            port,
                                            action.getKey(),
                                            action.getValue(),
                                            "Origin",
                                            self,
                                            "Sec-Fetch-Site",
                                            "same-origin")
                                    .statusCode())
                    .as(action.getKey())
                    .isEqualTo(303);
        }
        assertThat(state.reviews(id)).hasSize(3);
        assertThat(get(port, "/status", null).body()).contains(UPDATE).contains(POSTMORTEM);
    }

    @Test
    void methodOverrideHeadersAreRefused(TestInfo test) throws Exception {
        JobConfig config = prepare(test);
        String id = config.environment() + "-20240216T072600Z";
        int port = start(config, "127.0.0.1", null);

        for (String header :
                List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")) {
            // Javalin itself would route this GET to the POST handler by X-HTTP-Method-Override.
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:"
                                                            + port
                                                            + "/incidents/"
                                                            + id
                                                            + "/postmortem"))
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .header(header, "POST")
                                    .method("GET", HttpRequest.BodyPublishers.ofString("body=x"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(header).isEqualTo(400);
            assertThat(r.body()).contains(header + " is not supported");
        }
        assertThat(state.reviews(id)).isEmpty();
    }

    @Test
    void onlyTheAllowedHostNamesAreAnswered(TestInfo test) throws Exception {
        JobConfig config = prepare(test);
        String id = config.environment() + "-20240216T072600Z";
        allowedHosts = List.of("review.example.com");
        int port = start(config, "127.0.0.1", null);

        // A DNS-rebinding page sends its own name: nothing of the service comes back.
        for (String path : List.of("/", "/status", "/api/v2/summary.json")) {
            String r = getAs("evil.example:" + port, port, path);
            assertThat(r).as(path).startsWith("HTTP/1.1 421").doesNotContain(id);
        }
        assertThat(getAs("evil.example", port, "/")).startsWith("HTTP/1.1 421");
        assertThat(getAs("localhost.evil.example", port, "/")).startsWith("HTTP/1.1 421");
        // The port is not checked: behind a proxy the Host carries the proxy's.
        for (String host :
                List.of(
                        "localhost:" + port,
                        "127.0.0.1:" + port,
                        "[::1]:" + port,
                        "LOCALHOST",
                        "review.example.com",
                        "review.example.com:443")) {
            assertThat(getAs(host, port, "/")).as(host).startsWith("HTTP/1.1 200").contains(id);
        }
    }

    @Test
    void everyResponseCarriesTheSecurityHeadersAndThePagesNeedNoInlineStyle(TestInfo test)
            throws Exception {
        JobConfig config = prepare(test);
        String id = config.environment() + "-20240216T072600Z";
        int port = start(config, "127.0.0.1", null);

        for (String path :
                List.of(
                        "/",
                        "/incidents/" + id,
                        "/status",
                        "/api/v2/summary.json",
                        "/style.css",
                        "/metrics",
                        "/no-such-page")) {
            HttpResponse<String> r = get(port, path, null);
            assertThat(r.headers().firstValue("Content-Security-Policy"))
                    .as(path)
                    .hasValue(RequestGuard.CSP);
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(r.headers().firstValue("X-Content-Type-Options"))
                    .as(path)
                    .hasValue("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).as(path).hasValue("same-origin");
        }
        assertThat(RequestGuard.CSP)
                .contains("frame-ancestors 'none'")
                .contains("default-src 'none'")
                .doesNotContain("unsafe");
        HttpResponse<String> refused =
                post(port, "/incidents/" + id + "/updates", Map.of(), "Origin", "null");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(getAs("evil.example", port, "/"))
                .contains("Content-Security-Policy: " + RequestGuard.CSP);

        // The policy allows styles from the service's stylesheet only, and scripts from the
        // service only: the pages use no other style, and no script but /live.js, inline none.
        post(port, "/incidents/" + id + "/postmortem", Map.of("body", POSTMORTEM));
        String live = "<script src=\"/live.js\" defer></script>";
        for (String path : List.of("/", "/incidents/" + id, "/status")) {
            String body = get(port, path, null).body();
            assertThat(body)
                    .as(path)
                    .contains("<link rel=\"stylesheet\" href=\"/style.css\">")
                    .doesNotContain("<style")
                    .doesNotContain(" style=");
            assertThat(body.replace(live, "")).as(path).doesNotContain("<script");
            assertThat(body.contains(live)).as(path).isEqualTo(!path.equals("/status"));
        }
        HttpResponse<String> script = get(port, "/live.js", null);
        assertThat(script.headers().firstValue("Content-Type"))
                .hasValue("text/javascript; charset=utf-8");
        assertThat(script.body()).contains("new EventSource('/events')");
        HttpResponse<String> css = get(port, "/style.css", null);
        assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(css.body()).contains(".postmortem{white-space:pre-wrap}");
    }

    @Test
    void thePublicSideShowsNothingOfAnIncidentUntilPublishedThenOnlyWhatWasPublished(TestInfo test)
            throws Exception {
        JobConfig config = prepare(test);
        String id = config.environment() + "-20240216T072600Z";
        int port = start(config, "127.0.0.1", null);
        List<String> publicPaths =
                List.of(
                        "/status",
                        "/api/v2/summary.json",
                        "/api/v2/incidents.json",
                        "/api/v2/components.json");
        for (String path : publicPaths) {
            assertThat(get(port, path, null).body())
                    .as(path)
                    .doesNotContain(id)
                    .doesNotContain("web-app")
                    .doesNotContain("alert");
        }
        // A root-cause decision and a postmortem are not a publication of the incident.
        post(
                port,
                "/incidents/" + id + "/root-cause",
                Map.of("action", "override", "kind", "RESOURCE_SATURATION", "service", "database"));
        assertThat(get(port, "/status", null).body()).doesNotContain(id);

        // An update needs a public title; the drafted one, named by the components, is only the
        // form's suggestion.
        assertThat(
                        post(
                                        port,
                                        "/incidents/" + id + "/updates",
                                        Map.of("status", "INVESTIGATING", "body", UPDATE))
                                .statusCode())
                .isEqualTo(400);
        assertThat(get(port, "/incidents/" + id, null).body())
                .contains("name=\"title\"")
                .containsPattern("value=\"(Outage|Partial outage|Degraded performance) of Apps\"")
                .contains("web-app &lt;script&gt;");
        post(
                port,
                "/incidents/" + id + "/updates",
                Map.of("status", "INVESTIGATING", "body", UPDATE, "title", TITLE));
        for (String path : publicPaths) {
            assertThat(get(port, path, null).body())
                    .as(path)
                    .doesNotContain("web-app")
                    .doesNotContain("alert");
        }
        assertThat(get(port, "/status", null).body()).contains(TITLE).contains(UPDATE);
        assertThat(get(port, "/api/v2/incidents.json", null).body())
                .contains("\"name\":\"" + TITLE + "\"");
        // On loopback without a token /metrics stays open, as every page there.
        assertThat(get(port, "/metrics", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aStateChangeWithoutItsSessionsCsrfTokenIsRefused(TestInfo test) throws Exception {
        JobConfig config = prepare(test);
        String id = config.environment() + "-20240216T072600Z";
        int port = start(config, "127.0.0.1", null);
        String path = "/incidents/" + id + "/postmortem";
        String[] mine = session(port, "/incidents/" + id, null);
        String[] other = session(port, "/incidents/" + id, null);
        assertThat(mine[0]).isNotEqualTo(other[0]);
        Map<String, String> form = Map.of("body", POSTMORTEM);

        List<HttpResponse<String>> refused =
                List.of(
                        postRaw(port, path, form),
                        postRaw(port, path, form, "Cookie", mine[0]),
                        postRaw(port, path, with(form, "csrf", mine[1])),
                        postRaw(port, path, with(form, "csrf", "x" + mine[1]), "Cookie", mine[0]),
                        // Another session's token does not fit this session's cookie.
                        postRaw(port, path, with(form, "csrf", other[1]), "Cookie", mine[0]));
        for (HttpResponse<String> r : refused) {
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.body()).contains("CSRF token");
        }
        assertThat(state.reviews(id)).isEmpty();
        assertThat(postRaw(port, path, with(form, "csrf", mine[1]), "Cookie", mine[0]).statusCode())
                .isEqualTo(303);
        assertThat(state.reviews(id)).hasSize(1);
    }

    private static Map<String, String> with(Map<String, String> form, String name, String value) {
        Map<String, String> out = new java.util.LinkedHashMap<>(form);
        out.put(name, value);
        return out;
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWith413(TestInfo test) throws Exception {
        JobConfig config = prepare(test);
        String id = config.environment() + "-20240216T072600Z";
        int port = start(config, "127.0.0.1", null);
        String path = "/incidents/" + id + "/postmortem";
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            // Read the answer while sending: the service answers before the body ends.
            java.util.concurrent.CompletableFuture<String> answer =
                    java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return new String(
                                            s.getInputStream().readNBytes(12),
                                            StandardCharsets.ISO_8859_1);
                                } catch (java.io.IOException e) {
                                    return e.toString();
                                }
                            });
            java.io.OutputStream out = s.getOutputStream();
            out.write(
                    ("POST "
                                    + path
                                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type:"
                                    + " application/x-www-form-urlencoded\r\n"
                                    + "Transfer-Encoding: chunked\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'a');
            byte[] size =
                    (Integer.toHexString(chunk.length) + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
            try {
                // 20 MB, or until the service closes the connection.
                for (int i = 0; i < 320 && !answer.isDone(); i++) {
                    out.write(size);
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (java.io.IOException closed) {
                // expected once the service has answered
            }
            assertThat(answer.get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo("HTTP/1.1 413");
        }
        assertThat(state.reviews(id)).isEmpty();
        // A body within the limit, chunked too, still goes through.
        String[] session = session(port, "/incidents/" + id, null);
        HttpResponse<String> ok =
                http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .header("Cookie", session[0])
                                .POST(
                                        HttpRequest.BodyPublishers.ofInputStream(
                                                () ->
                                                        new java.io.ByteArrayInputStream(
                                                                ("csrf="
                                                                                + session[1]
                                                                                + "&body=chunked")
                                                                        .getBytes(
                                                                                StandardCharsets
                                                                                        .UTF_8))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(state.postmortem(id).body()).isEqualTo("chunked");
    }

    /** A users file with these users and passwords (few iterations: a test, not a secret). */
    private static Users users(Path dir, String... namesAndPasswords) throws Exception {
        StringBuilder b = new StringBuilder("# test users\n");
        for (int i = 0; i + 1 < namesAndPasswords.length; i += 2) {
            b.append(Users.line(namesAndPasswords[i], namesAndPasswords[i + 1].toCharArray(), 1000))
                    .append('\n');
        }
        return Users.load(java.nio.file.Files.writeString(dir.resolve("users"), b));
    }

    /** Signs in; the session cookie, or the failed answer's status as "status:N". */
    private String signIn(int port, String user, String password) throws Exception {
        String[] page = session(port, "/sign-in", null);
        HttpResponse<String> r =
                postRaw(
                        port,
                        "/sign-in",
                        Map.of("user", user, "password", password, "csrf", page[1]),
                        "Cookie",
                        page[0]);
        if (r.statusCode() != 303) return "status:" + r.statusCode();
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie)
                .contains("HttpOnly")
                .contains("SameSite=Strict")
                .contains("Max-Age=28800")
                .doesNotContain("Secure");
        return cookie.substring(0, cookie.indexOf(';'));
    }

    @Test
    void engineersSignInAndActUnderTheirOwnNameNeverOneTheClientAsserts(
            TestInfo test, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        JobConfig config = prepare(test);
        String id = config.environment() + "-20240216T072600Z";
        users = users(dir, "carol", "correct horse", "dave", "battery staple");
        int port = start(config, "127.0.0.1", null);

        // With a users file the pages ask for a sign-in, on loopback too.
        HttpResponse<String> page = get(port, "/incidents/" + id, null);
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/sign-in");
        assertThat(get(port, "/metrics", null).statusCode()).isEqualTo(401);
        String mallory =
                "Basic "
                        + java.util.Base64.getEncoder()
                                .encodeToString("mallory:x".getBytes(StandardCharsets.UTF_8));
        assertThat(
                        postRaw(
                                        port,
                                        "/incidents/" + id + "/postmortem",
                                        Map.of("body", "x"),
                                        "Authorization",
                                        mallory)
                                .statusCode())
                .isEqualTo(401);

        String carol = signIn(port, "carol", "correct horse");
        assertThat(carol).startsWith(Sessions.COOKIE + "=");
        String[] form = session(port, "/incidents/" + id, null);
        String pageWithCarol =
                http.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + port
                                                                + "/incidents/"
                                                                + id))
                                        .header("Cookie", carol)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        java.util.regex.Matcher csrf =
                java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"")
                        .matcher(pageWithCarol);
        assertThat(csrf.find()).isTrue();
        assertThat(form).isNull(); // without the sign-in, no form
        assertThat(
                        postRaw(
                                        port,
                                        "/incidents/" + id + "/updates",
                                        Map.of(
                                                "status",
                                                "IDENTIFIED",
                                                "body",
                                                UPDATE,
                                                "title",
                                                TITLE,
                                                "csrf",
                                                csrf.group(1)),
                                        "Cookie",
                                        carol,
                                        "Authorization",
                                        mallory)
                                .statusCode())
                .isEqualTo(303);
        ReviewEvent published = state.publishedUpdates(id).get(0);
        assertThat(published.actor()).isEqualTo("carol");
        assertThat(published.auth()).isEqualTo(ReviewEvent.Auth.PASSWORD);

        // Failed sign-ins: counted, then held back for that name and address.
        for (int i = 0; i < Sessions.MAX_FAILURES; i++) {
            assertThat(signIn(port, "dave", "wrong")).isEqualTo("status:401");
        }
        assertThat(signIn(port, "dave", "battery staple")).isEqualTo("status:429");
        assertThat(signIn(port, "nobody", "x")).isEqualTo("status:429");
        String metrics =
                http.send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + port + "/metrics"))
                                        .header("Cookie", carol)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        assertThat(metrics)
                .contains("review_sign_ins_total{result=\"ok\",} 1.0")
                .contains("review_sign_ins_total{result=\"bad_credentials\",} 5.0")
                .contains("review_sign_ins_total{result=\"rate_limited\",} 2.0");

        // Sessions expire.
        now.addAndGet(Sessions.LIFETIME_MS);
        assertThat(
                        http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create(
                                                                "http://127.0.0.1:" + port + "/"))
                                                .header("Cookie", carol)
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode())
                .isEqualTo(303);
    }

    @Test
    void withTheSharedTokenTheActorIsTheTokenNotTheNameInTheHeader(TestInfo test) throws Exception {
        JobConfig config = prepare(test);
        String id = config.environment() + "-20240216T072600Z";
        allowedHosts = List.of("127.0.0.1");
        int port = start(config, "0.0.0.0", TOKEN);
        String basic =
                "Basic "
                        + java.util.Base64.getEncoder()
                                .encodeToString(("bob:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        assertThat(
                        post(
                                        port,
                                        "/incidents/" + id + "/postmortem",
                                        Map.of("body", POSTMORTEM),
                                        "Authorization",
                                        basic)
                                .statusCode())
                .isEqualTo(303);
        // A script with the Bearer token needs no CSRF token: a browser never sends that header
        // by itself.
        assertThat(
                        postRaw(
                                        port,
                                        "/incidents/" + id + "/root-cause",
                                        Map.of(
                                                "action",
                                                "override",
                                                "kind",
                                                "RESOURCE_SATURATION",
                                                "service",
                                                "database"),
                                        "Authorization",
                                        "Bearer " + TOKEN)
                                .statusCode())
                .isEqualTo(303);
        assertThat(state.reviews(id))
                .extracting(ReviewEvent::actor, ReviewEvent::auth)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("token", ReviewEvent.Auth.TOKEN));
        assertThat(get(port, "/incidents/" + id, "Bearer " + TOKEN).body())
                .contains("decided by token (shared token)")
                .doesNotContain("bob");
    }

    /** A reviews record as the service writes it, as JSON text, with these fields replaced. */
    private static String review(String id, String incident, String action, String extra) {
        return "{\"id\":\""
                + id
                + "\",\"incidentId\":\""
                + incident
                + "\",\"action\":\""
                + action
                + "\",\"actor\":\"mallory\",\"at\":1708068360000"
                + extra
                + "}";
    }

    @Test
    void forgedOrMalformedReviewRecordsAreSkippedCountedAndShownToEngineersOnly(TestInfo test)
            throws Exception {
        JobConfig config = prepare(test);
        String id = config.environment() + "-20240216T072600Z";
        String topic = config.topics().reviews();
        String forged =
                review("f1", id, "PUBLISH_UPDATE", ",\"status\":\"RESOLVED\",\"body\":\"FORGED\"");
        ReviewSigner other =
                ReviewSigner.of(
                        "someone else's key, also 32 bytes long".getBytes(StandardCharsets.UTF_8));
        // The update without a status made /status, its JSON and the incident page answer 500.
        String noStatus = review("f4", id, "PUBLISH_UPDATE", ",\"body\":\"NO STATUS\"");
        String unknownAction = review("f5", id, "DELETE_EVERYTHING", "");
        byte[] notJson = "{\"id\":".getBytes(StandardCharsets.UTF_8);
        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            kafka.send(topic, forged.getBytes(StandardCharsets.UTF_8));
            kafka.send(topic, bytes(forged), ReviewSigner.HEADER, other.sign(bytes(forged)));
            kafka.send(topic, bytes(noStatus), ReviewSigner.HEADER, SIGNER.sign(bytes(noStatus)));
            kafka.send(
                    topic,
                    bytes(unknownAction),
                    ReviewSigner.HEADER,
                    SIGNER.sign(bytes(unknownAction)));
            kafka.flush();
        }
        int port = start(config, "127.0.0.1", null);
        // One more while the service follows the topic.
        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            kafka.send(topic, notJson, ReviewSigner.HEADER, SIGNER.sign(notJson));
            kafka.flush();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> log.unreadable() == 5);

        assertThat(state.reviews(id)).isEmpty();
        for (String path : List.of("/status", "/api/v2/incidents.json", "/api/v2/summary.json")) {
            HttpResponse<String> r = get(port, path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.body())
                    .as(path)
                    .doesNotContain("FORGED")
                    .doesNotContain("NO STATUS")
                    .doesNotContain("mallory")
                    .doesNotContain("Skipped")
                    .doesNotContain("signature");
        }
        assertThat(get(port, "/incidents/" + id, null).statusCode()).isEqualTo(200);
        String metrics = get(port, "/metrics", null).body();
        for (String reason : List.of("unsigned", "bad_signature", "invalid", "not_json")) {
            assertThat(metrics)
                    .contains(
                            "review_unreadable_records_total{topic=\"reviews\",reason=\""
                                    + reason
                                    + "\",} "
                                    + (reason.equals("invalid") ? "2.0" : "1.0"));
        }
        String engineers = get(port, "/", null).body();
        assertThat(engineers)
                .contains("Skipped records")
                .contains("bad_signature")
                .contains("unsigned")
                .contains("update incomplete")
                .contains("not_json");

        // The service's own records are signed and read back after a restart.
        post(
                port,
                "/incidents/" + id + "/updates",
                Map.of("status", "IDENTIFIED", "body", UPDATE, "title", TITLE));
        restart();
        int again = start(config, "127.0.0.1", null);
        assertThat(get(again, "/status", null).body()).contains(UPDATE).doesNotContain("FORGED");
        assertThat(log.unreadable()).isEqualTo(5);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A Statuspage-compatible API on loopback that records what it is sent. */
    private static final class StubStatuspage implements AutoCloseable {
        record Request(String method, String path, String auth, String key, String body) {}

        final List<Request> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger failFirst =
                new java.util.concurrent.atomic.AtomicInteger(1);
        final com.sun.net.httpserver.HttpServer server;

        StubStatuspage() throws Exception {
            server =
                    com.sun.net.httpserver.HttpServer.create(
                            new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext(
                    "/",
                    x -> {
                        String body =
                                new String(
                                        x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                        requests.add(
                                new Request(
                                        x.getRequestMethod(),
                                        x.getRequestURI().getPath(),
                                        x.getRequestHeaders().getFirst("Authorization"),
                                        x.getRequestHeaders().getFirst("Idempotency-Key"),
                                        body));
                        int code = failFirst.getAndDecrement() > 0 ? 503 : 201;
                        byte[] out =
                                (code == 201 ? "{\"id\":\"sp-1\"}" : "busy")
                                        .getBytes(StandardCharsets.UTF_8);
                        x.sendResponseHeaders(code, out.length);
                        x.getResponseBody().write(out);
                        x.close();
                    });
            server.start();
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void publishedUpdatesArePushedOnceEachWithRetriesAndNotAgainAfterARestart(TestInfo test)
            throws Exception {
        JobConfig config = prepare(test);
        String id = config.environment() + "-20240216T072600Z";
        try (StubStatuspage stub = new StubStatuspage()) {
            int port = start(config, "127.0.0.1", null, stub.base());

            post(
                    port,
                    "/incidents/" + id + "/updates",
                    Map.of("status", "INVESTIGATING", "body", "Looking into it.", "title", TITLE));
            await().atMost(Duration.ofSeconds(20))
                    .until(
                            () ->
                                    stub.requests.stream()
                                                    .filter(r -> r.method().equals("POST"))
                                                    .count()
                                            == 2);
            post(
                    port,
                    "/incidents/" + id + "/updates",
                    Map.of("status", "IDENTIFIED", "body", "Found it.", "title", TITLE));
            await().atMost(Duration.ofSeconds(20)).until(() -> stub.requests.size() == 3);

            // The first create failed with 503 and was retried with the same idempotency key.
            StubStatuspage.Request create = stub.requests.get(1);
            assertThat(stub.requests.get(0).key()).isEqualTo(create.key());
            assertThat(create.path()).isEqualTo("/v1/pages/page-1/incidents");
            assertThat(create.auth()).isEqualTo("OAuth api-token");
            assertThat(create.body())
                    .contains("\"incident\":{\"name\":\"" + TITLE + "\"")
                    .contains("\"status\":\"investigating\"")
                    .contains("\"body\":\"Looking into it.\"");
            StubStatuspage.Request update = stub.requests.get(2);
            assertThat(update.method()).isEqualTo("PATCH");
            assertThat(update.path()).isEqualTo("/v1/pages/page-1/incidents/sp-1");
            assertThat(update.body())
                    .contains("\"status\":\"identified\"")
                    .doesNotContain("\"name\"");
            assertThat(get(port, "/metrics", null).body())
                    .contains("review_push_failures_total{reason=\"http_status\",} 1.0");

            // A restart finds both pushes recorded on the reviews topic: nothing is sent again.
            restart();
            start(config, "127.0.0.1", null, stub.base());
            assertThat(state.remoteIncident(id)).isEqualTo("sp-1");
            await().during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> stub.requests.size() == 3);
        }
    }
}
