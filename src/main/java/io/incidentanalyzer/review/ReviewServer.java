package io.incidentanalyzer.review;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.job.OutputJson;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ComponentChange;
import io.incidentanalyzer.model.ComponentImpact;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.StatusUpdate;
import io.incidentanalyzer.web.HttpServers;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The review service's HTTP side: engineer pages and actions, the public status page and its JSON,
 * and {@code /metrics}. Binds to loopback by default; on any other address the engineer pages and
 * actions need the token (Bearer, or Basic with any user name and the token as password), and the
 * service refuses to start without one. The public page and its JSON are read-only and open. Every
 * request passes {@link RequestGuard} first: allowed host names only, no cross-site state change,
 * security headers on every response.
 */
public final class ReviewServer implements AutoCloseable {
    private final JobConfig config;
    private final ReviewState state;
    private final ReviewLog log;
    private final String token;
    private final String localUser;
    private final LongSupplier clock;
    private final EngineerPages engineer;
    private final StatusPages status;
    private final ObjectMapper json = OutputJson.mapper();
    private final CollectorRegistry registry = new CollectorRegistry();
    private final Counter requests;
    private final Counter publications;
    private StatuspagePush push;
    private final Notifier notifier;
    private final LiveUpdates live;
    private List<String> allowedHosts = List.of();
    private Users users;
    private final Sessions sessions;
    private EngineerAuth auth;

    /** The largest request body, chunked or not (413 beyond). */
    static final int MAX_BODY = 1_000_000;

    /** The pages' stylesheet, {@code src/main/resources/review/style.css}. */
    static final String STYLE = Templates.resource("style.css");

    private Javalin app;

    /**
     * Construct it before {@code log.start} when the job file names notification channels: the
     * notifier must see the first load.
     *
     * @param token the engineers' token; required unless {@code host} is a loopback address
     * @param localUser who acts when no one signs in (loopback without a token)
     */
    public ReviewServer(
            JobConfig config,
            ReviewState state,
            ReviewLog log,
            String token,
            String localUser,
            LongSupplier clock) {
        this(config, state, log, token, localUser, clock, System::getenv);
    }

    /**
     * @param env reads an environment variable: the notification channels' {@code secretEnv}
     */
    ReviewServer(
            JobConfig config,
            ReviewState state,
            ReviewLog log,
            String token,
            String localUser,
            LongSupplier clock,
            java.util.function.Function<String, String> env) {
        this.config = config;
        this.state = state;
        this.log = log;
        this.token = token == null || token.isBlank() ? null : token;
        this.localUser = localUser;
        this.clock = clock;
        this.sessions = new Sessions(clock);
        this.engineer = new EngineerPages(config, state, log::skipped);
        this.status = new StatusPages(config, state);
        this.requests =
                Counter.build(
                                "review_http_requests_total",
                                "HTTP requests served, by route and status")
                        .labelNames("route", "status")
                        .register(registry);
        this.publications =
                Counter.build(
                                "review_publications_total",
                                "Engineers' actions written to the reviews topic")
                        .labelNames("action")
                        .register(registry);
        Gauge unreadable =
                Gauge.build(
                                "review_unreadable_records_total",
                                "Records of the incidents or reviews topic skipped because they"
                                        + " could not be read or trusted, by topic and reason")
                        .labelNames("topic", "reason")
                        .register(registry);
        for (ReviewLog.Source source : ReviewLog.Source.values()) {
            for (ReviewLog.Reason reason : ReviewLog.Reason.values()) {
                unreadable.setChild(
                        new Gauge.Child() {
                            @Override
                            public double get() {
                                return log.unreadable(source, reason);
                            }
                        },
                        source.name().toLowerCase(java.util.Locale.ROOT),
                        reason.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        if (config.notifications().channels().isEmpty()) {
            notifier = null;
        } else {
            if (log.loaded()) {
                throw new IllegalStateException(
                        "construct the ReviewServer before ReviewLog.start: its notifier must see"
                                + " the first load");
            }
            notifier =
                    new Notifier(
                            config, state, this::record, registry, env, System::currentTimeMillis);
            log.listen(notifier);
        }
        live = new LiveUpdates(log::loaded);
        log.listen(live);
        Gauge.build("review_incidents_loaded", "Incidents known from the incidents topic")
                .register(registry)
                .setChild(
                        new Gauge.Child() {
                            @Override
                            public double get() {
                                return state.size();
                            }
                        });
    }

    /**
     * Pushes every published update to a Statuspage-compatible API as well (before {@link #start}):
     * at most one request a second, retried with backoff up to a minute, given up after 10
     * attempts. {@code base} must be {@code https://} (plain http to loopback only).
     */
    public void pushTo(java.net.URI base, String page, String apiToken) {
        pushTo(
                base,
                page,
                apiToken,
                java.time.Duration.ofSeconds(1),
                java.time.Duration.ofMinutes(1),
                10);
    }

    void pushTo(
            java.net.URI base,
            String page,
            String apiToken,
            java.time.Duration minInterval,
            java.time.Duration maxBackoff,
            int maxAttempts) {
        push =
                new StatuspagePush(
                        base,
                        page,
                        apiToken,
                        state,
                        this::record,
                        registry,
                        minInterval,
                        maxBackoff,
                        maxAttempts);
    }

    /**
     * Also answers to these host names (before {@link #start}): those people use to reach it, e.g.
     * through a proxy. Requests naming any other host get 421 ({@link RequestGuard}).
     */
    public void allowHosts(java.util.Collection<String> names) {
        allowedHosts = List.copyOf(names);
    }

    /**
     * Engineers sign in with a user name and password from this users file (before {@link #start});
     * the pages then need a sign-in, on loopback too.
     */
    public void useUsers(Users users) {
        this.users = users;
    }

    /** Starts serving on {@code host:port} (port 0: any free port); returns the port. */
    public int start(String host, int port) {
        boolean loopback = HttpServers.isLoopback("review", host);
        if (!loopback && token == null && users == null) {
            throw new ConfigException(
                    "review --bind "
                            + host
                            + ": not a loopback address, so the engineer pages need sign-in; give"
                            + " --users FILE, or set REVIEW_TOKEN (or --token-env NAME), or bind to"
                            + " 127.0.0.1");
        }
        RequestGuard guard = new RequestGuard(RequestGuard.allowed(host, loopback, allowedHosts));
        auth = new EngineerAuth(token, users, localUser, !loopback, sessions, registry);
        if (push != null) push.start();
        if (notifier != null) notifier.start();
        app =
                Javalin.create(
                        c -> {
                            c.showJavalinBanner = false;
                            c.http.defaultContentType = "text/html; charset=utf-8";
                            c.http.maxRequestSize = MAX_BODY;
                            c.jetty.modifyServletContextHandler(
                                    h ->
                                            h.addFilter(
                                                    new org.eclipse.jetty.servlet.FilterHolder(
                                                            new BodyLimitFilter(MAX_BODY)),
                                                    "/*",
                                                    java.util.EnumSet.of(
                                                            jakarta.servlet.DispatcherType
                                                                    .REQUEST)));
                        });
        app.after(ctx -> requests.labels(route(ctx), String.valueOf(ctx.statusCode())).inc());
        app.before(guard);
        app.before(
                ctx -> {
                    if (!isPublic(ctx.path())) auth.session(ctx);
                });
        app.beforeMatched(
                ctx -> {
                    if (!isPublic(ctx.path()) && !isSignIn(ctx.path())) auth.check(ctx);
                });
        auth.routes(app);
        app.get("/style.css", ctx -> ctx.contentType("text/css; charset=utf-8").result(STYLE));
        app.get(
                "/live.js",
                ctx ->
                        ctx.contentType("text/javascript; charset=utf-8")
                                .result(LiveUpdates.SCRIPT));
        app.sse("/events", live::join);
        app.get("/", ctx -> ctx.html(engineer.list(auth.identity(ctx), auth.csrf(ctx))));
        app.get(
                "/incidents/{id}",
                ctx -> {
                    IncidentEvent e = state.incident(ctx.pathParam("id"));
                    if (e == null) ctx.status(404).html(Templates.notFound("No such incident."));
                    else ctx.html(engineer.incident(e, auth.csrf(ctx)));
                });
        app.post("/incidents/{id}/root-cause", this::rootCause);
        app.post("/incidents/{id}/updates", this::publishUpdate);
        app.post("/incidents/{id}/postmortem", this::publishPostmortem);
        app.get("/status", ctx -> ctx.html(status.html(publicNow())));
        app.get("/api/v2/summary.json", ctx -> json(ctx, status.summary(publicNow())));
        app.get(
                "/api/v2/incidents.json",
                ctx ->
                        json(
                                ctx,
                                Map.of(
                                        "page",
                                        status.page(publicNow()),
                                        "incidents",
                                        status.incidents(false))));
        app.get(
                "/api/v2/components.json",
                ctx ->
                        json(
                                ctx,
                                Map.of(
                                        "page",
                                        status.page(publicNow()),
                                        "components",
                                        status.components())));
        HttpServers.serveMetrics(app, "/metrics", registry);
        return HttpServers.start(app, "review", host, port);
    }

    /**
     * The public pages' time: that of the published incidents' events, so that nothing about
     * unpublished ones (not even that the analyzer saw something) shows there.
     */
    private long publicNow() {
        return status.now(clock.getAsLong());
    }

    /** Appends a record of the service's own (PUSHED, NOTIFIED) to the reviews topic. */
    private void record(ReviewEvent r) {
        try {
            log.append(r);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isPublic(String path) {
        // Not /metrics: it counts unpublished incidents and skipped records (engineers only).
        return path.equals("/status") || path.startsWith("/api/v2/") || path.equals("/style.css");
    }

    private static String route(Context ctx) {
        String p = ctx.endpointHandlerPath();
        return p == null || p.isEmpty() ? "unmatched" : p;
    }

    private static boolean isSignIn(String path) {
        return path.equals("/sign-in") || path.equals("/sign-out");
    }

    private IncidentEvent incident(Context ctx) {
        IncidentEvent e = state.incident(ctx.pathParam("id"));
        if (e == null) throw new io.javalin.http.NotFoundResponse("no such incident");
        return e;
    }

    /** A form field naming one of an enum's constants; 400 otherwise. */
    private static <E extends Enum<E>> E choice(Class<E> type, String value, String what) {
        try {
            return Enum.valueOf(type, String.valueOf(value));
        } catch (IllegalArgumentException x) {
            throw new io.javalin.http.BadRequestResponse("unknown " + what);
        }
    }

    private void rootCause(Context ctx) throws Exception {
        IncidentEvent e = incident(ctx);
        boolean override = "override".equals(ctx.formParam("action"));
        CauseKind kind = choice(CauseKind.class, ctx.formParam("kind"), "cause kind");
        String service = ctx.formParam("service");
        if (service == null || !config.services().containsKey(service)) {
            throw new io.javalin.http.BadRequestResponse("unknown service");
        }
        ReviewEvent.Action action =
                override
                        ? ReviewEvent.Action.OVERRIDE_ROOT_CAUSE
                        : ReviewEvent.Action.CONFIRM_ROOT_CAUSE;
        append(ctx, e, action, kind, service, null, ctx.formParam("note"), null);
    }

    private void publishUpdate(Context ctx) throws Exception {
        IncidentEvent e = incident(ctx);
        IncidentStatus s = choice(IncidentStatus.class, ctx.formParam("status"), "status");
        String body = ctx.formParam("body");
        if (body == null || body.isBlank())
            throw new io.javalin.http.BadRequestResponse("empty update");
        String title = ctx.formParam("title");
        if (title == null || title.isBlank())
            throw new io.javalin.http.BadRequestResponse("an update needs the public title");
        if (title.strip().length() > ReviewEvent.MAX_TITLE)
            throw new io.javalin.http.BadRequestResponse("public title too long");
        append(ctx, e, ReviewEvent.Action.PUBLISH_UPDATE, null, null, s, body, title.strip());
    }

    private void publishPostmortem(Context ctx) throws Exception {
        IncidentEvent e = incident(ctx);
        String body = ctx.formParam("body");
        if (body == null || body.isBlank())
            throw new io.javalin.http.BadRequestResponse("empty postmortem");
        append(ctx, e, ReviewEvent.Action.PUBLISH_POSTMORTEM, null, null, null, body, null);
    }

    /**
     * The components' states a published update states: those of the drafted update of that step,
     * or, without one, the components' states now (all operational once resolved).
     */
    private static List<ComponentChange> components(IncidentEvent e, IncidentStatus s) {
        Map<String, ComponentChange> out = new LinkedHashMap<>();
        if (e.drafts() == null) return List.of();
        for (ComponentImpact c : e.drafts().components()) {
            var state =
                    s == IncidentStatus.RESOLVED
                            ? io.incidentanalyzer.model.ComponentState.OPERATIONAL
                            : c.state();
            out.put(c.name(), new ComponentChange(c.name(), c.state(), state));
        }
        for (StatusUpdate u : e.drafts().statusUpdates()) {
            if (u.status() != s) continue;
            for (ComponentChange c : u.affectedComponents()) out.put(c.name(), c);
        }
        return new ArrayList<>(out.values());
    }

    private void append(
            Context ctx,
            IncidentEvent e,
            ReviewEvent.Action action,
            CauseKind kind,
            String service,
            IncidentStatus status,
            String body,
            String title)
            throws Exception {
        boolean update = action == ReviewEvent.Action.PUBLISH_UPDATE;
        if (body != null && body.length() > ReviewEvent.MAX_BODY)
            throw new io.javalin.http.BadRequestResponse("text too long");
        ReviewEvent r =
                new ReviewEvent(
                        UUID.randomUUID().toString(),
                        e.incidentId(),
                        action,
                        auth.identity(ctx).user(),
                        clock.getAsLong(),
                        kind,
                        service,
                        status,
                        body,
                        update ? components(e, status) : List.of(),
                        null,
                        null,
                        title,
                        update && e.drafts() != null ? e.drafts().components() : List.of(),
                        auth.identity(ctx).how(),
                        null);
        log.append(r);
        if (push != null && update) push.submit(r);
        publications.labels(action.name().toLowerCase(java.util.Locale.ROOT)).inc();
        ctx.redirect("/incidents/" + e.incidentId(), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void json(Context ctx, Object body) throws Exception {
        ctx.contentType("application/json").result(json.writeValueAsString(body));
    }

    @Override
    public void close() {
        live.close();
        if (app != null) app.stop();
        if (notifier != null) {
            try {
                notifier.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (push != null) {
            try {
                push.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
