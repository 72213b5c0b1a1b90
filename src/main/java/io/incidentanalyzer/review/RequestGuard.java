package io.incidentanalyzer.review;

import io.incidentanalyzer.config.ConfigException;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs before every request of the review service: sets the security headers on the response,
 * answers 421 when the Host header names none of the service's allowed host names, 400 to a
 * method-override header, and 403 to a state change (any method but GET, HEAD, OPTIONS) that a
 * browser marks as coming from another origin.
 */
final class RequestGuard implements Handler {
    /**
     * The pages are server-rendered HTML with a stylesheet from {@code /style.css}, inline SVG,
     * forms that post to the service itself, and one script from the service ({@code /live.js},
     * which follows {@code /events} and fetches the page again): no inline script, no image, font
     * or frame, no connection to another origin.
     */
    static final String CSP =
            "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self';"
                    + " form-action 'self'; frame-ancestors 'none'; base-uri 'none';"
                    + " object-src 'none'";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    // Javalin routes by X-HTTP-Method-Override, so a GET could reach a POST handler; the other two
    // are refused as well in case a proxy in front honours them.
    private static final List<String> METHOD_OVERRIDES =
            List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

    private final Set<String> hosts;

    /**
     * @param hosts the allowed host names, lower case, IPv6 addresses in brackets
     */
    RequestGuard(Set<String> hosts) {
        this.hosts = Set.copyOf(hosts);
    }

    /**
     * The host names the service answers to: on loopback {@code localhost}, {@code 127.0.0.1} and
     * {@code [::1]}; always the bind address and the names given ({@code --allowed-host}).
     */
    static Set<String> allowed(String bind, boolean loopback, Collection<String> names) {
        List<String> all = new ArrayList<>();
        if (loopback) all.addAll(List.of("localhost", "127.0.0.1", "[::1]"));
        all.add(bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind);
        for (String n : names) {
            if (n.isBlank() || n.contains("/") || (n.contains(":") && !n.startsWith("["))) {
                throw new ConfigException(
                        "review --allowed-host "
                                + n
                                + ": give a host name without scheme or port (an IPv6 address in"
                                + " brackets)");
            }
            all.add(n);
        }
        Set<String> out = new LinkedHashSet<>();
        for (String h : all) out.add(h.toLowerCase(Locale.ROOT));
        return out;
    }

    /** The security headers every response carries. */
    static final Map<String, String> HEADERS =
            Map.of(
                    "Content-Security-Policy", CSP,
                    "X-Frame-Options", "DENY",
                    "X-Content-Type-Options", "nosniff",
                    "Referrer-Policy", "same-origin");

    @Override
    public void handle(Context ctx) {
        HEADERS.forEach(ctx::header);
        String host = ctx.header("Host");
        if (host == null || !hosts.contains(name(host))) {
            // 421 Misdirected Request rather than 400: the request itself is well formed, it was
            // sent to a server not configured for that name (a DNS-rebinding page, a wrong proxy).
            throw new HttpResponseException(
                    HttpStatus.MISDIRECTED_REQUEST,
                    "unknown host name; reach the review service by a name given with"
                            + " --allowed-host",
                    Map.of());
        }
        for (String h : METHOD_OVERRIDES) {
            if (ctx.header(h) != null) {
                throw new BadRequestResponse(h + " is not supported; send the method itself");
            }
        }
        if (!SAFE_METHODS.contains(ctx.req().getMethod()) && crossSite(ctx, host)) {
            throw new ForbiddenResponse(
                    "cross-site request refused; submit the form from the review pages");
        }
    }

    /**
     * Whether the browser says the request comes from another origin. Requests with neither header
     * (curl, scripts) are not a browser's and pass; they still need the token where one is set.
     */
    private static boolean crossSite(Context ctx, String host) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) return true;
        String origin = ctx.header("Origin");
        // https as well: behind a TLS-terminating proxy that passes the Host header on, the
        // service's own pages have an https origin with that same host.
        return origin != null
                && !origin.equals("http://" + host)
                && !origin.equals("https://" + host);
    }

    /** The host name of a Host header, without its port, lower case. */
    private static String name(String host) {
        int end = host.startsWith("[") ? host.indexOf(']') + 1 : host.lastIndexOf(':');
        return (end <= 0 ? host : host.substring(0, end)).toLowerCase(Locale.ROOT);
    }
}
