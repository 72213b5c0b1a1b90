package io.incidentanalyzer.review;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The review pages' HTML: Mustache templates under {@code src/main/resources/review/}. Mustache
 * escapes every {@code {{value}}} for HTML; the templates never use the unescaped forms (triple
 * braces, ampersand), so text from logs, signals and people cannot become markup. Views are records
 * of text and numbers only.
 */
final class Templates {
    // Compiles each template (and its partials) once and caches it; safe across threads.
    private static final MustacheFactory FACTORY = new DefaultMustacheFactory();

    private Templates() {}

    /** Renders {@code review/<name>.mustache} with {@code view}. */
    static String render(String name, Object view) {
        StringWriter out = new StringWriter();
        FACTORY.compile("review/" + name + ".mustache").execute(out, view);
        return out.toString();
    }

    /** A file the service serves as it is ({@code /style.css}, {@code /live.js}). */
    static String resource(String name) {
        try (InputStream in = Templates.class.getResourceAsStream("/review/" + name)) {
            if (in == null) throw new IllegalStateException(name + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page titled {@code title} that says there is no such thing. */
    record NotFound(String title, boolean live, String message) {}

    static String notFound(String message) {
        return render("not-found", new NotFound("Not found", false, message));
    }
}
