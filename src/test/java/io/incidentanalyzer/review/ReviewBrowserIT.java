package io.incidentanalyzer.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.Topics;
import io.incidentanalyzer.job.OutputJson;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.replay.Replay;
import io.incidentanalyzer.simulate.DirectorySink;
import io.incidentanalyzer.simulate.ScenarioLoader;
import io.incidentanalyzer.simulate.Simulator;
import io.incidentanalyzer.testing.KafkaBroker;
import io.incidentanalyzer.testing.KafkaTestClients;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An engineer in a real browser (Debian's headless Chromium and its chromedriver): open the
 * incident of a Watermelon replay, override its root cause, publish an update, and find it on the
 * public status page. Screenshots go to target/screenshots (the README's are copies).
 */
class ReviewBrowserIT {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    private static final Path SHOTS = Path.of("target/screenshots");
    private static ReviewLog log;
    private static ReviewServer server;
    private static ReviewState state;
    private static com.sun.net.httpserver.HttpServer otherOrigin;
    private static WebDriver browser;
    private static String base;
    private static JobConfig config;
    private static List<IncidentEvent> events;

    @BeforeAll
    static void replayAndServe(@TempDir Path dir) throws Exception {
        ScenarioLoader.Loaded scenario =
                ScenarioLoader.load(Path.of("jobs/scenarios/watermelon-2024-02-16.yaml"));
        try (DirectorySink sink = new DirectorySink(dir)) {
            new Simulator(scenario, scenario.scenario().seed()).run(sink);
        }
        events = Replay.run(scenario.job(), dir, 2, null).incidents();

        config = withTopics(scenario.job(), "browser-it");
        KAFKA.kafka().createTopics(2, config.topics().incidents(), config.topics().reviews());
        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            for (IncidentEvent e : events) {
                kafka.send(
                        config.topics().incidents(),
                        e.incidentId(),
                        OutputJson.mapper().writeValueAsBytes(e));
            }
            kafka.flush();
        }
        state = new ReviewState();
        log =
                new ReviewLog(
                        KAFKA.bootstrapServers(),
                        Map.of(),
                        config.topics().incidents(),
                        config.topics().reviews(),
                        state,
                        ReviewSigner.ephemeral());
        log.start(Duration.ofMinutes(1));
        server = new ReviewServer(config, state, log, null, "alice", System::currentTimeMillis);
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(new File("/usr/bin/chromium"));
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,1800");
        File driver = new File("/usr/bin/chromedriver");
        if (!driver.canExecute()) {
            // Not a skip: a missing browser would let the suite pass without its UI test.
            throw new IllegalStateException(
                    "/usr/bin/chromedriver is missing: run the tests with bin/test, which installs"
                            + " it, or apt-get install chromium chromium-driver");
        }
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(driver)
                        .usingAnyFreePort()
                        .build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SHOTS);
    }

    /** The job file's config with this test's own topics on the shared broker. */
    private static JobConfig withTopics(JobConfig c, String prefix) {
        Topics t = c.topics();
        return new JobConfig(
                c.environment(),
                c.timeZone(),
                c.clock(),
                c.kafka(),
                new Topics(
                        t.metrics(),
                        t.auth(),
                        t.logs(),
                        t.changes(),
                        prefix + ".incidents",
                        prefix + ".dead-letter",
                        prefix + ".status-updates",
                        prefix + ".reviews"),
                c.watermarks(),
                c.limits(),
                c.services(),
                c.components(),
                c.detectors(),
                c.correlation(),
                c.patterns(),
                c.notifications());
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (otherOrigin != null) otherOrigin.stop(0);
        if (server != null) server.close();
        if (log != null) log.close();
    }

    private static void shot(String name) throws Exception {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SHOTS.resolve(name), png);
    }

    /** Waits across a form's post and redirect: the old page's elements go stale meanwhile. */
    private static org.openqa.selenium.support.ui.FluentWait<WebDriver> waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(20))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    @Test
    void anEngineerOverridesTheRootCausePublishesAnUpdateAndSeesItOnTheStatusPage()
            throws Exception {
        browser.get(base + "/");
        WebElement incident = browser.findElement(By.cssSelector("a.incident"));
        assertThat(incident.getText()).contains("token refresh storm");
        incident.click();
        waiting().until(d -> d.findElement(By.id("root-cause")).isDisplayed());
        assertThat(browser.findElement(By.id("root-cause")).getText())
                .contains("token-refresh storm on Token verification server")
                .contains("not yet confirmed");

        // Override: the engineer blames the wrong database host instead.
        WebElement override = browser.findElement(By.id("override"));
        new Select(override.findElement(By.name("kind"))).selectByValue("DEPENDENCY_DRIFT");
        new Select(override.findElement(By.name("service"))).selectByValue("token-verification");
        override.findElement(By.name("note")).sendKeys("the legacy host kept it down");
        override.findElement(By.tagName("button")).click();
        waiting()
                .until(
                        d ->
                                d.findElement(By.id("root-cause"))
                                        .getText()
                                        .contains("decided by alice"));
        assertThat(browser.findElement(By.id("root-cause")).getText())
                .contains("dependency on the wrong host on Token verification server");

        // The drafted public title names components, apart from the internal title; the engineer
        // publishes the drafted update, edited, under that title.
        String publicTitle = events.get(events.size() - 1).drafts().publicTitle();
        assertThat(publicTitle).startsWith("Outage of ").doesNotContain("token");
        assertThat(browser.findElement(By.id("public-title")).getText())
                .isEqualTo("Public title (draft): " + publicTitle);
        WebElement form = browser.findElement(By.id("publish-update"));
        WebElement title = form.findElement(By.name("title"));
        assertThat(title.getAttribute("value")).isEqualTo(publicTitle);
        WebElement body = form.findElement(By.name("body"));
        body.clear();
        body.sendKeys("Conversations are back; we keep monitoring the count service.");
        form.findElement(By.tagName("button")).click();
        waiting().until(d -> !d.findElements(By.cssSelector(".card.published")).isEmpty());
        assertThat(browser.findElement(By.cssSelector(".card.published")).getText())
                .contains("published by alice")
                .contains("we keep monitoring the count service");
        shot("review-incident.png");

        browser.get(base + "/status");
        WebElement notice = browser.findElement(By.cssSelector(".notice"));
        assertThat(notice.getText())
                .contains(publicTitle)
                .doesNotContain("token refresh storm")
                .contains("Conversations are back; we keep monitoring the count service.");
        assertThat(browser.findElement(By.id("banner")).getText()).isNotBlank();
        // The Content-Security-Policy lets the service's stylesheet through: the banner is
        // coloured.
        assertThat(browser.findElement(By.id("banner")).getCssValue("background-color"))
                .isNotEqualTo("rgba(0, 0, 0, 0)");
        assertThat(browser.getPageSource()).contains("Feb, 2024");
        shot("status-page.png");
    }

    /**
     * A page of another origin (another port on 127.0.0.1, as any page an engineer opens could be)
     * that posts a form to the service, frames its incident page and fetches a POST.
     */
    private static String otherOriginPage(String incident) throws Exception {
        String target = base + "/incidents/" + incident;
        String html =
                "<!doctype html><html><body><h1>Cute cats</h1>"
                        + "<form id=\"attack\" method=\"post\" action=\""
                        + target
                        + "/postmortem\"><input name=\"body\" value=\"EVIL FORM\">"
                        + "<button>Win a prize</button></form>"
                        + "<iframe id=\"frame\" width=\"800\" height=\"600\" src=\""
                        + target
                        + "\"></iframe></body></html>";
        otherOrigin =
                com.sun.net.httpserver.HttpServer.create(
                        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        otherOrigin.createContext(
                "/",
                x -> {
                    byte[] out = html.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    x.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                    x.sendResponseHeaders(200, out.length);
                    x.getResponseBody().write(out);
                    x.close();
                });
        otherOrigin.start();
        return "http://127.0.0.1:" + otherOrigin.getAddress().getPort() + "/";
    }

    @Test
    void aPageOfAnotherOriginCanNeitherPostFetchNorFrameTheEngineerPages() throws Exception {
        // The engineer has the pages open: the browser holds the session cookie.
        browser.get(base + "/");
        String href = browser.findElement(By.cssSelector("a.incident")).getAttribute("href");
        String incident = href.substring(href.lastIndexOf('/') + 1);
        int before = state.reviews(incident).size();
        String evil = otherOriginPage(incident);

        browser.get(evil);
        // The framed incident page is not drawn: frame-ancestors 'none' and X-Frame-Options.
        browser.switchTo().frame(browser.findElement(By.id("frame")));
        assertThat(browser.findElements(By.id("root-cause"))).isEmpty();
        assertThat(browser.getPageSource()).doesNotContain("Root cause");
        browser.switchTo().defaultContent();

        // A script POST with the engineer's cookie: refused by the service, unreadable by the page.
        Object fetched =
                ((org.openqa.selenium.JavascriptExecutor) browser)
                        .executeAsyncScript(
                                "const done = arguments[arguments.length - 1];"
                                        + "fetch(arguments[0], {method: 'POST', credentials:"
                                        + " 'include', body: new URLSearchParams({body: 'EVIL"
                                        + " FETCH'})}).then(r => done('status ' + r.status),"
                                        + " e => done('failed: ' + e));",
                                base + "/incidents/" + incident + "/postmortem");
        assertThat(String.valueOf(fetched)).startsWith("failed");

        // The form, submitted as if the engineer clicked: the service answers 403.
        browser.findElement(By.id("attack")).submit();
        waiting().until(d -> d.getCurrentUrl().startsWith(base));
        assertThat(browser.getPageSource()).contains("cross-site request refused");
        shot("cross-origin-refused.png");

        assertThat(state.reviews(incident)).hasSize(before);
        assertThat(state.reviews(incident))
                .noneMatch(r -> r.body() != null && r.body().contains("EVIL"));

        // The engineer's own form still works.
        browser.get(base + "/incidents/" + incident);
        WebElement form = browser.findElement(By.id("publish-postmortem"));
        WebElement body = form.findElement(By.name("body"));
        body.clear();
        body.sendKeys("Our own postmortem.");
        form.findElement(By.tagName("button")).click();
        waiting().until(d -> state.postmortem(incident) != null);
        assertThat(state.postmortem(incident).body()).isEqualTo("Our own postmortem.");
    }

    /** {@code e} as another incident: its id, title and a day earlier, so it sorts last. */
    private static IncidentEvent another(IncidentEvent e, String id, String title) {
        long day = 86_400_000L;
        return new IncidentEvent(
                id,
                e.environment(),
                e.type(),
                e.ts(),
                IncidentStatus.RESOLVED,
                e.openedAt() - day,
                e.ts(),
                title,
                e.cause(),
                e.activeSignals(),
                e.rootCauses(),
                e.contributingCauses(),
                e.changeEffects(),
                e.drafts());
    }

    private static void publish(IncidentEvent e) throws Exception {
        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            kafka.send(
                    config.topics().incidents(),
                    e.incidentId(),
                    OutputJson.mapper().writeValueAsBytes(e));
            kafka.flush();
        }
    }

    /** Waits until the page's script follows /events, and marks the page to tell a reload. */
    private static void followingEvents() {
        waiting()
                .until(
                        d ->
                                "open"
                                        .equals(
                                                d.findElement(By.tagName("main"))
                                                        .getDomAttribute("data-live")));
        ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("window.notReloaded = true;");
    }

    private static boolean notReloaded() {
        return Boolean.TRUE.equals(
                ((org.openqa.selenium.JavascriptExecutor) browser)
                        .executeScript("return window.notReloaded === true;"));
    }

    @Test
    void theOpenPagesFollowIncidentEventsAndKeepWhatTheEngineerTypes() throws Exception {
        IncidentEvent last = events.get(events.size() - 1);
        String id = last.incidentId() + "-live";

        // A new incident appears on the open list without a reload.
        browser.get(base + "/");
        followingEvents();
        assertThat(browser.getPageSource()).doesNotContain("Live incident A");
        publish(another(last, id, "Live incident A"));
        waiting()
                .until(
                        d ->
                                d.findElements(By.cssSelector("a.incident")).stream()
                                        .anyMatch(a -> a.getText().contains("Live incident A")));
        assertThat(notReloaded()).isTrue();

        // On its page the engineer types a postmortem; the incident changes meanwhile.
        browser.get(base + "/incidents/" + id);
        followingEvents();
        WebElement body = browser.findElement(By.cssSelector("#publish-postmortem textarea"));
        body.clear();
        body.sendKeys("Half-written: the cache ");
        publish(another(last, id, "Live incident B"));
        waiting().until(d -> d.findElement(By.tagName("h1")).getText().contains("Live incident B"));
        assertThat(notReloaded()).isTrue();
        WebElement after = browser.findElement(By.cssSelector("#publish-postmortem textarea"));
        assertThat(after.getDomProperty("value")).isEqualTo("Half-written: the cache ");
        // The same element: the form was not replaced, so focus and cursor stay too.
        assertThat(after).isEqualTo(body);
        shot("review-live.png");
    }
}
