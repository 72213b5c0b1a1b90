package io.incidentanalyzer.cli;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.review.ReviewLog;
import io.incidentanalyzer.review.ReviewServer;
import io.incidentanalyzer.review.ReviewSigner;
import io.incidentanalyzer.review.ReviewState;
import io.incidentanalyzer.review.Users;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code review}: the review service, until stopped. */
@Command(
        name = "review",
        mixinStandardHelpOptions = true,
        subcommands = ReviewCommand.HashPassword.class,
        description = {
            "Serves the incident review pages and the public status page.",
            "On the review pages engineers check each incident's ranked root cause against its"
                    + " evidence, correct it, and publish the drafted status updates and"
                    + " postmortem; /status is the public status page, /api/v2/*.json its JSON.",
            "State is rebuilt from the incidents and reviews topics at start; every action is"
                    + " written to the reviews topic. Stop it with Ctrl-C."
        })
final class ReviewCommand implements Callable<Integer> {

    // Not picocli-required: they would then be required for 'review hash-password' too.
    @Option(
            names = "--job",
            paramLabel = "FILE",
            description = "Job file (YAML), e.g. jobs/watermelon.yaml (required).")
    java.nio.file.Path job;

    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (required).")
    String bootstrap;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description =
                    "Address to listen on (default: ${DEFAULT-VALUE}). Any other than loopback"
                            + " needs --users or a token: the engineer pages and actions then ask"
                            + " for a sign-in.")
    String bind;

    @Option(
            names = "--allowed-host",
            paramLabel = "NAME",
            description =
                    "A host name people reach the service by, e.g. behind a proxy (repeatable)."
                            + " Requests for any other name get 421; the --bind address, and on"
                            + " loopback localhost, 127.0.0.1 and [::1], are always allowed.")
    List<String> allowedHosts = List.of();

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--token-env",
            defaultValue = "REVIEW_TOKEN",
            paramLabel = "NAME",
            description =
                    "Environment variable holding the engineers' token (default: ${DEFAULT-VALUE})."
                            + " Bearer token, or Basic auth with the token as password; actions"
                            + " are then recorded as 'token'.")
    String tokenEnv;

    @Option(
            names = "--user",
            paramLabel = "NAME",
            description =
                    "Who acts on loopback when neither --users nor a token is given (recorded as"
                            + " the local user, not signed in); default: $USER.")
    String user;

    @Option(
            names = "--users",
            paramLabel = "FILE",
            description =
                    "Engineers sign in with a user name and password from this file (lines made by"
                            + " 'review hash-password'); the engineer pages then ask for a sign-in,"
                            + " on loopback too.")
    java.nio.file.Path usersFile;

    @Option(
            names = "--signing-key",
            paramLabel = "FILE",
            description =
                    "File holding the key that signs and checks the reviews topic's records"
                            + " (default: ~/.incident-analyzer/review-signing.key, made with a"
                            + " random key when missing). Every instance on one topic needs the"
                            + " same key. The environment variable REVIEW_SIGNING_KEY, when set,"
                            + " is the key instead.")
    java.nio.file.Path signingKey;

    @Option(
            names = "--push-url",
            paramLabel = "URL",
            description =
                    "Also push every published update to this Statuspage-compatible API, e.g."
                            + " https://api.statuspage.io (default: no push).")
    java.net.URI pushUrl;

    @Option(
            names = "--push-page",
            paramLabel = "ID",
            description = "The page id on that API (with --push-url).")
    String pushPage;

    @Option(
            names = "--push-token-env",
            defaultValue = "STATUSPAGE_TOKEN",
            paramLabel = "NAME",
            description =
                    "Environment variable holding that API's token (default: ${DEFAULT-VALUE}).")
    String pushTokenEnv;

    /** The default place of the signing key, for one user's review service on one machine. */
    static java.nio.file.Path defaultSigningKey() {
        return java.nio.file.Path.of(
                System.getProperty("user.home"), ".incident-analyzer", "review-signing.key");
    }

    private ReviewSigner signer() {
        return ReviewSigner.load(
                System.getenv("REVIEW_SIGNING_KEY"),
                "REVIEW_SIGNING_KEY",
                signingKey != null ? signingKey : defaultSigningKey());
    }

    @Override
    public Integer call() throws Exception {
        if (job == null || bootstrap == null) {
            throw new io.incidentanalyzer.config.ConfigException(
                    "review needs --job FILE and --bootstrap HOST:PORT (or run review"
                            + " hash-password NAME)");
        }
        JobConfig config = JobConfigLoader.load(job);
        KafkaPreflight.checkReview(config, bootstrap, job.toString());
        ReviewState state = new ReviewState();
        String who = user != null ? user : System.getenv().getOrDefault("USER", "engineer");
        try (ReviewLog log =
                        new ReviewLog(
                                bootstrap,
                                config.kafka().properties(),
                                config.topics().incidents(),
                                config.topics().reviews(),
                                state,
                                signer());
                ReviewServer server =
                        new ReviewServer(
                                config,
                                state,
                                log,
                                System.getenv(tokenEnv),
                                who,
                                System::currentTimeMillis)) {
            log.start(Duration.ofMinutes(1));
            if (pushUrl != null) {
                String apiToken = System.getenv(pushTokenEnv);
                if (pushPage == null || pushPage.isBlank()) {
                    throw new io.incidentanalyzer.config.ConfigException(
                            "--push-url needs --push-page: the page id on that API");
                }
                if (apiToken == null || apiToken.isBlank()) {
                    throw new io.incidentanalyzer.config.ConfigException(
                            "--push-url needs the API token in the environment variable "
                                    + pushTokenEnv
                                    + " (or name another with --push-token-env)");
                }
                server.pushTo(pushUrl, pushPage, apiToken);
            }
            server.allowHosts(allowedHosts);
            if (usersFile != null) server.useUsers(Users.load(usersFile));
            int bound = server.start(bind, port);
            System.err.printf(
                    "Review service for %s at http://%s:%d/ (public page /status); %d incident(s)"
                            + " loaded. Ctrl-C stops.%n",
                    config.environment(), bind, bound, state.size());
            StopSignals.awaitForever();
        }
        return 0;
    }

    /** {@code review hash-password}: a users file line for one engineer. */
    @Command(
            name = "hash-password",
            mixinStandardHelpOptions = true,
            description = {
                "Prints a users file line (review --users) for one engineer.",
                "The line holds the name and a PBKDF2-SHA256 hash of the password, which is read"
                        + " from the terminal without echo, or from standard input's first line"
                        + " when there is no terminal."
            })
    static final class HashPassword implements Callable<Integer> {
        @picocli.CommandLine.Parameters(paramLabel = "USER", description = "The user name.")
        String user;

        @Override
        public Integer call() throws Exception {
            char[] password;
            java.io.Console console = System.console();
            if (console != null) {
                password = console.readPassword("Password for %s: ", user);
            } else {
                String line =
                        new java.io.BufferedReader(
                                        new java.io.InputStreamReader(
                                                System.in, java.nio.charset.StandardCharsets.UTF_8))
                                .readLine();
                password = line == null ? null : line.toCharArray();
            }
            if (password == null || password.length == 0) {
                throw new io.incidentanalyzer.config.ConfigException(
                        "review hash-password: no password given");
            }
            System.out.println(Users.line(user, password, Users.ITERATIONS));
            return 0;
        }
    }
}
