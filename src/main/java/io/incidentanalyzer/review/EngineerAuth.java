package io.incidentanalyzer.review;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpStatus;
import io.javalin.http.UnauthorizedResponse;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Set;

/**
 * Who may use the engineer pages, and who acts. Three ways in: a signed-in session (users file,
 * {@code /sign-in}), the shared token (Bearer, or Basic with the token as password; the actor is
 * then {@code token}, whatever user name the header carries), or, on loopback with neither
 * configured, the local user without signing in (recorded as such). Every state change but a Bearer
 * one must also carry the session's CSRF token ({@link Sessions}).
 */
final class EngineerAuth {
    /** Who acts on a request, and how that was established. */
    record Identity(String user, ReviewEvent.Auth how) {}

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final String IDENTITY = "review.identity";
    private static final String SESSION = "review.session";

    private final String token;
    private final Users users;
    private final String localUser;
    private final boolean secureCookies;
    private final Sessions sessions;
    private final Counter signIns;

    EngineerAuth(
            String token,
            Users users,
            String localUser,
            boolean secureCookies,
            Sessions sessions,
            CollectorRegistry registry) {
        this.token = token;
        this.users = users;
        this.localUser = localUser;
        this.secureCookies = secureCookies;
        this.sessions = sessions;
        this.signIns =
                Counter.build("review_sign_ins_total", "Sign-in attempts, by result")
                        .labelNames("result")
                        .register(registry);
        for (String r : new String[] {"ok", "bad_credentials", "rate_limited"}) signIns.labels(r);
    }

    /** Whether anyone on the machine may act without signing in (loopback, nothing configured). */
    boolean open() {
        return token == null && users == null;
    }

    /** Gives every browser of the engineer pages a session cookie; remembers the session id. */
    void session(Context ctx) {
        String id = ctx.cookie(Sessions.COOKIE);
        if (!Sessions.wellFormed(id)) {
            id = sessions.newId();
            setCookie(ctx, id, -1);
        }
        ctx.attribute(SESSION, id);
    }

    private void setCookie(Context ctx, String id, long maxAgeSeconds) {
        ctx.res()
                .addHeader(
                        "Set-Cookie",
                        Sessions.COOKIE
                                + "="
                                + id
                                + "; Path=/; HttpOnly; SameSite=Strict"
                                + (maxAgeSeconds >= 0 ? "; Max-Age=" + maxAgeSeconds : "")
                                + (secureCookies ? "; Secure" : ""));
    }

    /**
     * Establishes who calls an engineer page or action (401, or a redirect to the sign-in page,
     * when no one), then refuses a state change without the session's CSRF token.
     */
    void check(Context ctx) {
        Identity who = identify(ctx);
        if (who == null) {
            if (users != null
                    && ctx.method().name().equals("GET")
                    && !ctx.path().equals("/metrics")) {
                ctx.redirect("/sign-in", HttpStatus.SEE_OTHER);
                ctx.skipRemainingHandlers();
                return;
            }
            if (token != null)
                ctx.header("WWW-Authenticate", "Basic realm=\"incident-analyzer review\"");
            throw new UnauthorizedResponse("sign in first");
        }
        ctx.attribute(IDENTITY, who);
        csrf(ctx, who);
    }

    private void csrf(Context ctx, Identity who) {
        if (SAFE_METHODS.contains(ctx.method().name())) return;
        // A browser never adds a Bearer header by itself, so another site cannot forge one.
        if (bearer(ctx) != null) return;
        if (!sessions.csrfMatches(ctx.attribute(SESSION), ctx.formParam("csrf"))) {
            throw new ForbiddenResponse(
                    "missing or wrong CSRF token; reload the page and submit the form again");
        }
    }

    private static String bearer(Context ctx) {
        String h = ctx.header("Authorization");
        return h != null && h.startsWith("Bearer ") ? h.substring(7).trim() : null;
    }

    private Identity identify(Context ctx) {
        String user = sessions.user(ctx.attribute(SESSION));
        if (user != null) return new Identity(user, ReviewEvent.Auth.PASSWORD);
        if (token != null) {
            String given = bearer(ctx);
            if (given == null) {
                String[] basic = basic(ctx);
                if (basic != null) given = basic[1];
            }
            if (given != null
                    && MessageDigest.isEqual(
                            given.getBytes(StandardCharsets.UTF_8),
                            token.getBytes(StandardCharsets.UTF_8))) {
                // The shared token says nothing of who holds it: a Basic user name is the
                // client's claim, so it is not recorded.
                return new Identity("token", ReviewEvent.Auth.TOKEN);
            }
        }
        return open() ? new Identity(localUser, ReviewEvent.Auth.LOCAL) : null;
    }

    /** The user name and password of a Basic Authorization header, or null without a valid one. */
    private static String[] basic(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || !h.startsWith("Basic ")) return null;
        try {
            String decoded =
                    new String(
                            Base64.getDecoder().decode(h.substring(6).trim()),
                            StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0
                    ? null
                    : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    /** Who acts on this request (after {@link #check}). */
    Identity identity(Context ctx) {
        return ctx.attribute(IDENTITY);
    }

    /** The CSRF token the forms of this request's page carry. */
    String csrf(Context ctx) {
        return sessions.csrf(ctx.attribute(SESSION));
    }

    /** The sign-in and sign-out routes (outside {@link #check}, but CSRF-checked themselves). */
    void routes(Javalin app) {
        app.get(
                "/sign-in",
                ctx -> {
                    if (users == null) throw new io.javalin.http.NotFoundResponse();
                    ctx.html(signInPage(ctx, null));
                });
        app.post("/sign-in", this::signIn);
        app.post(
                "/sign-out",
                ctx -> {
                    if (!sessions.csrfMatches(ctx.attribute(SESSION), ctx.formParam("csrf")))
                        throw new ForbiddenResponse("missing or wrong CSRF token");
                    sessions.signOut(ctx.attribute(SESSION));
                    setCookie(ctx, sessions.newId(), -1);
                    ctx.redirect(users != null ? "/sign-in" : "/", HttpStatus.SEE_OTHER);
                });
    }

    private void signIn(Context ctx) {
        if (users == null) throw new io.javalin.http.NotFoundResponse();
        if (!sessions.csrfMatches(ctx.attribute(SESSION), ctx.formParam("csrf")))
            throw new ForbiddenResponse("missing or wrong CSRF token; reload the sign-in page");
        String user = String.valueOf(ctx.formParam("user"));
        String password = String.valueOf(ctx.formParam("password"));
        String address = ctx.req().getRemoteAddr();
        if (sessions.limited(user, address)) {
            signIns.labels("rate_limited").inc();
            ctx.status(429).html(signInPage(ctx, "Too many failed sign-ins; try again later."));
            return;
        }
        if (!users.check(user, password.toCharArray())) {
            sessions.failed(user, address);
            signIns.labels("bad_credentials").inc();
            ctx.status(401).html(signInPage(ctx, "Wrong user name or password."));
            return;
        }
        signIns.labels("ok").inc();
        // A new id at sign-in: a session id planted before it is worth nothing after.
        String id = sessions.signIn(user);
        setCookie(ctx, id, Sessions.LIFETIME_MS / 1000);
        ctx.redirect("/", HttpStatus.SEE_OTHER);
    }

    /** The sign-in page's view (review/sign-in.mustache); {@code error} may be null. */
    public record SignIn(String title, boolean live, String csrf, String error) {}

    private String signInPage(Context ctx, String error) {
        return Templates.render("sign-in", new SignIn("Sign in", false, csrf(ctx), error));
    }
}
