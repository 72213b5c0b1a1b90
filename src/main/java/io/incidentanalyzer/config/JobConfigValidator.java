package io.incidentanalyzer.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks what the types cannot: required fields, references between sections (dependencies,
 * components and detector rules name defined services), value ranges and cycles in the service
 * graph. Reports every problem at once, one per line, so a user fixes a file in one pass.
 */
final class JobConfigValidator {
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]*");
    private static final Pattern HOST =
            Pattern.compile(
                    "[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*");

    private final List<String> problems = new ArrayList<>();

    private JobConfigValidator() {}

    static void validate(JobConfig c, String source) {
        JobConfigValidator v = new JobConfigValidator();
        v.check(c);
        if (!v.problems.isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (String p : v.problems) {
                if (b.length() > 0) b.append(System.lineSeparator());
                b.append(source).append(": ").append(p);
            }
            throw new ConfigException(b.toString());
        }
    }

    private void problem(String path, String what) {
        problems.add(path + ": " + what);
    }

    private void check(JobConfig c) {
        if (c.environment() == null || c.environment().isBlank()) {
            problem("environment", "missing; give the environment's name, e.g. 'prod'");
        } else if (!NAME.matcher(c.environment()).matches()) {
            problem("environment", "use letters, digits, '.', '_' and '-' only");
        }
        try {
            ZoneId.of(c.timeZone());
        } catch (DateTimeException e) {
            problem(
                    "timeZone",
                    "'"
                            + c.timeZone()
                            + "' is not a time zone; use an IANA name like Europe/Amsterdam");
        }
        checkKafka(c.kafka());
        checkTopics(c.topics());
        positive("watermarks.maxOutOfOrderness", c.watermarks().maxOutOfOrderness(), true);
        positive("watermarks.idleTimeout", c.watermarks().idleTimeout(), false);
        checkCorrelation(c.correlation());
        checkPatterns(c.patterns());
        if (c.limits().maxRecordBytes() < 256 || c.limits().maxRecordBytes() > 16 * 1024 * 1024) {
            problem("limits.maxRecordBytes", "expected a size between 256 and 16777216 bytes");
        }
        positive("limits.maxFuture", c.limits().maxFuture(), false);
        checkServices(c.services());
        checkComponents(c);
        checkSaturation(c);
        checkBaselineShift(c);
        checkBacklog(c);
        checkRefreshStorm(c.detectors().refreshStorm());
        checkAuthFailures(c.detectors().authFailures());
        checkDependencyDrift(c);
        checkErrorPatterns(c.detectors().errorPatterns());
        checkNotifications(c.notifications());
    }

    /**
     * The notification settings' shape. Secrets and the URL scheme (https, plain http to loopback
     * only) are checked where they are read, at the review service's start.
     */
    private void checkNotifications(NotificationSettings n) {
        positive("notifications.maxAge", n.maxAge(), false);
        positive("notifications.maxBackoff", n.maxBackoff(), false);
        if (n.attempts() < 1 || n.attempts() > 100) {
            problem("notifications.attempts", "expected a whole number from 1 to 100");
        }
        if (n.channels().isEmpty()) return;
        if (n.publicUrl() == null || !n.publicUrl().matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
            problem(
                    "notifications.publicUrl",
                    "give the review service's address as people reach it, e.g."
                            + " https://review.example.com: every message links to its incident"
                            + " page");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < n.channels().size(); i++) {
            NotificationChannel ch = n.channels().get(i);
            String at = "notifications.channels[" + i + "]";
            if (ch == null) {
                problem(at, "empty; give {name: ..., type: slack|webhook|pagerduty, ...}");
                continue;
            }
            if (ch.name() == null || !NAME.matcher(ch.name()).matches()) {
                problem(at + ".name", "missing; use letters, digits, '.', '_' and '-' only");
            } else if (!names.add(ch.name())) {
                problem(at + ".name", "'" + ch.name() + "' names two channels");
            }
            if (ch.type() == null) {
                problem(at + ".type", "missing; one of slack, webhook, pagerduty");
                continue;
            }
            boolean both = ch.secretEnv() != null && ch.secretFile() != null;
            boolean none = ch.secretEnv() == null && ch.secretFile() == null;
            // A generic webhook may need no secret; the others cannot work without one.
            if (both || (none && ch.type() != NotificationChannel.Type.WEBHOOK)) {
                problem(
                        at,
                        "give one of secretEnv (an environment variable) and secretFile (a file)"
                                + " holding "
                                + switch (ch.type()) {
                                    case SLACK -> "the incoming webhook's URL";
                                    case PAGERDUTY -> "the integration's routing key";
                                    case WEBHOOK -> "the receiver's Bearer token";
                                }
                                + "; secrets never sit in the job file");
            }
            if (ch.type() == NotificationChannel.Type.SLACK && ch.url() != null) {
                problem(
                        at + ".url",
                        "a Slack webhook's URL is its secret: put it in secretEnv or secretFile");
            }
            if (ch.type() == NotificationChannel.Type.WEBHOOK && ch.url() == null) {
                problem(at + ".url", "missing; the receiver's https:// URL");
            }
        }
    }

    private void checkKafka(KafkaSettings k) {
        positive("kafka.checkpointInterval", k.checkpointInterval(), false);
        positive("kafka.transactionTimeout", k.transactionTimeout(), false);
        if (k.transactionTimeout().compareTo(Duration.ofMinutes(15)) > 0) {
            problem(
                    "kafka.transactionTimeout",
                    "must not exceed the broker's transaction.max.timeout.ms (15m by default)");
        }
        if (k.transactionTimeout().compareTo(k.checkpointInterval()) <= 0) {
            problem(
                    "kafka.transactionTimeout",
                    "must be longer than kafka.checkpointInterval, or transactions time out"
                            + " between checkpoints");
        }
    }

    private void checkTopics(Topics t) {
        if (t == null) {
            problem(
                    "topics",
                    "missing; name the topics metrics, auth, logs, changes, incidents and"
                            + " deadLetter");
            return;
        }
        input("topics.metrics", t.metrics());
        input("topics.auth", t.auth());
        input("topics.logs", t.logs());
        input("topics.changes", t.changes());
        if (t.externalAlerts() != null) input("topics.externalAlerts", t.externalAlerts());
        if (t.traces() != null) input("topics.traces", t.traces());
        topic("topics.incidents", t.incidents());
        topic("topics.deadLetter", t.deadLetter());
        topic("topics.statusUpdates", t.statusUpdates());
        topic("topics.reviews", t.reviews());
        if (t.alerts() != null) {
            topic("topics.alerts", t.alerts());
            if (t.alerts().equals(t.incidents())) {
                problem(
                        "topics.alerts",
                        "must differ from topics.incidents: the two are written with different"
                                + " guarantees");
            }
        }
    }

    private void input(String path, InputTopic t) {
        if (t == null) {
            problem(path, "missing; give it as {name: my.topic, format: native-json}");
            return;
        }
        topic(path + ".name", t.name());
        String stream = path.substring(path.lastIndexOf('.') + 1);
        if (!t.format().feeds(stream)) {
            problem(
                    path + ".format",
                    t.format().label()
                            + " has no "
                            + stream
                            + " events; the formats of "
                            + stream
                            + " are "
                            + java.util.Arrays.stream(InputFormat.values())
                                    .filter(f -> f.feeds(stream))
                                    .map(InputFormat::label)
                                    .collect(java.util.stream.Collectors.joining(", ")));
        }
        if (t.serviceFrom() != null && !t.format().readsServiceFrom()) {
            problem(
                    path + ".serviceFrom",
                    t.format().label()
                            + " does not read it (prometheus-kafka-adapter, otlp-proto, otlp-json,"
                            + " telegraf-json and alertmanager-webhook do)");
        } else if (t.serviceFrom() != null) {
            if (t.serviceFrom().isEmpty()) {
                problem(path + ".serviceFrom", "empty; name at least one label, or leave it out");
            }
            for (String key : t.serviceFrom()) {
                if (key == null || key.isBlank()) {
                    problem(path + ".serviceFrom", "holds an empty name");
                }
            }
        }
        if (t.service() != null && !t.format().readsService()) {
            problem(path + ".service", t.format().label() + " does not read it");
        } else if (t.service() != null && t.service().isBlank()) {
            problem(path + ".service", "empty; name a service, or leave it out");
        }
        if (t.timestampUnits() != null) {
            if (!t.format().readsTimestampUnits()) {
                problem(
                        path + ".timestampUnits",
                        t.format().label() + " does not read it (telegraf-json does)");
            } else if (TimestampUnits.parse(t.timestampUnits()) == null) {
                problem(
                        path + ".timestampUnits",
                        "expected 1ns, 1us, 1ms or 1s (Telegraf's json_timestamp_units), got '"
                                + t.timestampUnits()
                                + "'");
            }
        }
    }

    private void topic(String path, String name) {
        if (name == null || name.isBlank()) {
            problem(path, "missing topic name");
        } else if (!TOPIC.matcher(name).matches()) {
            problem(path, "'" + name + "' is not a Kafka topic name (letters, digits, . _ -)");
        }
    }

    private void checkServices(Map<String, ServiceConfig> services) {
        services.forEach(
                (name, s) -> {
                    if (!NAME.matcher(name).matches()) {
                        problem("services." + name, "use letters, digits, '.', '_' and '-' only");
                    }
                    checkHosts("services." + name + ".hosts", s.hosts());
                    for (int i = 0; i < s.dependsOn().size(); i++) {
                        String dep = s.dependsOn().get(i);
                        if (!services.containsKey(dep)) {
                            problem(
                                    "services." + name + ".dependsOn[" + i + "]",
                                    unknownService(dep, services));
                        } else if (dep.equals(name)) {
                            problem(
                                    "services." + name + ".dependsOn[" + i + "]",
                                    "a service cannot depend on itself");
                        }
                    }
                });
        String cycle = findCycle(services);
        if (cycle != null) {
            problem("services", "dependencies form a cycle: " + cycle);
        }
    }

    private void checkComponents(JobConfig c) {
        List<ComponentConfig> components = c.components();
        for (int i = 0; i < components.size(); i++) {
            ComponentConfig k = components.get(i);
            String at = "components[" + i + "]";
            if (k.name() == null || k.name().isBlank()) {
                problem(at + ".name", "missing; the name shown on the status page");
            }
            for (int j = 0; j < k.services().size(); j++) {
                if (!c.services().containsKey(k.services().get(j))) {
                    problem(
                            at + ".services[" + j + "]",
                            unknownService(k.services().get(j), c.services()));
                }
            }
        }
    }

    private void checkSaturation(JobConfig c) {
        List<SaturationRule> rules = c.detectors().saturation();
        for (int i = 0; i < rules.size(); i++) {
            SaturationRule r = rules.get(i);
            String at = "detectors.saturation[" + i + "]";
            ruleTarget(c, at, r, "cpu_utilization");
            if (r.ceiling() == null) {
                problem(at + ".ceiling", "missing; the level that counts as saturated, e.g. 95");
            }
            if (r.clearBelow() == null) {
                problem(at + ".clearBelow", "missing; the level that counts as recovered, e.g. 80");
            }
            if (r.ceiling() != null && r.clearBelow() != null && r.clearBelow() >= r.ceiling()) {
                problem(
                        at + ".clearBelow",
                        "must be below ceiling ("
                                + r.ceiling()
                                + "); the gap is the hysteresis that stops flapping");
            }
            positive(at + ".sustain", r.sustain(), true);
            positive(at + ".clearAfter", r.clearAfter(), true);
            positive(at + ".noDataAfter", r.noDataAfter(), false);
        }
    }

    private void checkBaselineShift(JobConfig c) {
        BaselineShiftSettings b = c.detectors().baselineShift();
        String base = "detectors.baselineShift.baseline";
        BaselineConfig baseline = b.baseline();
        if (baseline.halfLife() != null) positive(base + ".halfLife", baseline.halfLife(), false);
        if (baseline.season() != null) positive(base + ".season", baseline.season(), true);
        if (baseline.tailMemory() != null) {
            positive(base + ".tailMemory", baseline.tailMemory(), false);
        }
        if (baseline.shiftConfirm() != null) {
            positive(base + ".shiftConfirm", baseline.shiftConfirm(), false);
        }
        if (baseline.burstWindow() != null) {
            positive(base + ".burstWindow", baseline.burstWindow(), false);
        }
        if (baseline.warmup() != null && baseline.warmup() < 1) {
            problem(base + ".warmup", "expected 1 or more samples, e.g. 30");
        }
        if (baseline.seasonBins() != null && baseline.seasonBins() < 1) {
            problem(base + ".seasonBins", "expected 1 or more, e.g. 24 (one per hour of a day)");
        }
        positive("detectors.baselineShift.forgetAfter", b.forgetAfter(), false);
        positive("detectors.baselineShift.reportEvery", b.reportEvery(), false);
        checkCreep("detectors.baselineShift.creep", b.creep());
        List<BaselineShiftRule> rules = b.rules();
        for (int i = 0; i < rules.size(); i++) {
            BaselineShiftRule r = rules.get(i);
            String at = "detectors.baselineShift.rules[" + i + "]";
            ruleTarget(c, at, r, "latency_p95_ms");
            atLeast(at + ".minDeviation", r.minDeviation(), 1, "robust spreads, e.g. 6");
            atLeast(at + ".minChange", r.minChange(), 0, "a share of the baseline, e.g. 0.5");
            atLeast(at + ".minDelta", r.minDelta(), 0, "in the metric's units");
            positive(at + ".sustain", r.sustain(), true);
            positive(at + ".clearAfter", r.clearAfter(), true);
            positive(at + ".noDataAfter", r.noDataAfter(), false);
            positive(at + ".relearnAfter", r.relearnAfter(), false);
        }
    }

    private void checkBacklog(JobConfig c) {
        List<BacklogRule> rules = c.detectors().backlog();
        for (int i = 0; i < rules.size(); i++) {
            BacklogRule r = rules.get(i);
            String at = "detectors.backlog[" + i + "]";
            ruleTarget(c, at, r, "queue_depth");
            positive(at + ".interval", r.interval(), false);
            if (r.intervals() < 2) {
                problem(
                        at + ".intervals",
                        "expected 2 or more; growth needs several steps, e.g. 4");
            }
            atLeast(at + ".minGrowth", r.minGrowth(), 0, "in the metric's units");
            atLeast(at + ".minDepth", r.minDepth(), 0, "in the metric's units");
            positive(at + ".clearAfter", r.clearAfter(), true);
            positive(at + ".noDataAfter", r.noDataAfter(), false);
        }
    }

    /** The name, service and metric every metric rule needs. */
    private void ruleTarget(JobConfig c, String at, MetricRule rule, String example) {
        String name = rule.name();
        String service = rule.service();
        String metric = rule.metric();
        if (name == null || name.isBlank()) {
            problem(at + ".name", "missing; a short name for the rule, e.g. " + example);
        }
        if (metric == null || metric.isBlank()) {
            problem(at + ".metric", "missing; the metric name, e.g. " + example);
        }
        if (!MetricRule.ANY_SERVICE.equals(service) && !c.services().containsKey(service)) {
            problem(at + ".service", unknownService(service, c.services()) + " or '*'");
        }
    }

    private void atLeast(String path, double value, double min, String hint) {
        if (!(value >= min)) {
            problem(
                    path,
                    "expected "
                            + (min == Math.rint(min)
                                    ? String.valueOf((long) min)
                                    : String.valueOf(min))
                            + " or more; "
                            + hint);
        }
    }

    private void checkCreep(String at, CreepSettings c) {
        atLeast(at + ".slack", c.slack(), 0, "robust spreads, e.g. 1");
        if (c.limit() <= 0) problem(at + ".limit", "expected more than 0 spreads, e.g. 8");
        atLeast(at + ".margin", c.margin(), 0, "a share of the rule's relative margin, e.g. 0.5");
        positive(at + ".after", c.after(), true);
    }

    private void checkRefreshStorm(RefreshStormSettings r) {
        String at = "detectors.refreshStorm";
        checkCreep(at + ".creep", r.creep());
        bucket(at + ".bucket", r.bucket());
        if (r.tokenLifetime().compareTo(r.bucket().multipliedBy(4)) < 0) {
            problem(
                    at + ".tokenLifetime",
                    "must be at least 4 buckets ("
                            + DurationText.format(r.bucket().multipliedBy(4))
                            + "); give the access tokens' lifetime, e.g. 15m");
        }
        if (r.slack() < 1) {
            problem(at + ".slack", "must be 1 or more: refreshes per session and token lifetime");
        }
        thresholds(at, r.minDeviation(), r.minRatio(), r.clearRatio());
        positive(at + ".sustain", r.sustain(), true);
        positive(at + ".clearAfter", r.clearAfter(), true);
        positive(at + ".reportEvery", r.reportEvery(), false);
        if (r.noDataAfter().compareTo(r.bucket()) <= 0) {
            problem(
                    at + ".noDataAfter",
                    "must be longer than bucket ("
                            + DurationText.format(r.bucket())
                            + "), e.g. 5m");
        }
        counters(at + ".heavyHitters", r.heavyHitters(), "64");
        if (r.reference().compareTo(r.bucket()) < 0) {
            problem(
                    at + ".reference",
                    "must be at least one bucket ("
                            + DurationText.format(r.bucket())
                            + "), e.g. 30m");
        }
    }

    private void checkAuthFailures(AuthFailureSettings a) {
        String at = "detectors.authFailures";
        bucket(at + ".bucket", a.bucket());
        if (a.minCount() < 1) {
            problem(at + ".minCount", "must be 1 or more failures per bucket, e.g. 10");
        }
        thresholds(at, a.minDeviation(), a.minRatio(), a.clearRatio());
        if (a.clearBelow() < 0 || a.clearBelow() >= a.minCount()) {
            problem(
                    at + ".clearBelow",
                    "must be 0 or more and below minCount ("
                            + a.minCount()
                            + "); the gap is the hysteresis that stops flapping");
        }
        positive(at + ".sustain", a.sustain(), true);
        positive(at + ".clearAfter", a.clearAfter(), true);
        positive(at + ".reportEvery", a.reportEvery(), false);
        counters(at + ".topErrors", a.topErrors(), "8");
        positive(at + ".forgetAfter", a.forgetAfter(), false);
    }

    private void bucket(String path, Duration d) {
        if (d.toMillis() < 1000 || d.compareTo(Duration.ofHours(1)) > 0) {
            problem(path, "expected a bucket between 1s and 1h, e.g. 10s");
        }
    }

    /** Thresholds of a "far above its baseline" test and the clear level below them. */
    private void thresholds(String at, double minDeviation, double minRatio, double clearRatio) {
        if (!(minDeviation > 0)) {
            problem(at + ".minDeviation", "must be more than 0 robust z-scores, e.g. 6");
        }
        if (!(minRatio > 1)) {
            problem(at + ".minRatio", "must be more than 1 (times the baseline), e.g. 2");
        }
        if (!(clearRatio >= 1) || clearRatio >= minRatio) {
            problem(
                    at + ".clearRatio",
                    "must be at least 1 and below minRatio ("
                            + minRatio
                            + "); the gap is the hysteresis that stops flapping");
        }
    }

    private void counters(String path, int k, String example) {
        if (k < 1 || k > 4096) {
            problem(path, "expected a number of counters from 1 to 4096, e.g. " + example);
        }
    }

    private void checkHosts(String path, List<String> hosts) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < hosts.size(); i++) {
            String h = hosts.get(i);
            if (h == null || h.isBlank()) {
                problem(path + "[" + i + "]", "empty; give a host name such as db-main.internal");
            } else if (!HOST.matcher(h).matches()) {
                problem(
                        path + "[" + i + "]",
                        "'" + h + "' is not a host name (letters, digits, '-' and '.'); no port");
            } else if (!seen.add(h.toLowerCase(Locale.ROOT))) {
                problem(path + "[" + i + "]", "'" + h + "' is listed twice; remove one");
            }
        }
    }

    private void checkDependencyDrift(JobConfig c) {
        DependencyDriftSettings d = c.detectors().dependencyDrift();
        String at = "detectors.dependencyDrift";
        d.attributes()
                .forEach(
                        (attribute, dependency) -> {
                            if (attribute.isBlank()) {
                                problem(
                                        at + ".attributes",
                                        "an empty attribute name; use the log attribute that"
                                                + " carries the host, e.g. db.host");
                            }
                            if (dependency == null || dependency.isBlank()) {
                                problem(
                                        at + ".attributes." + attribute,
                                        "missing; name the service the attribute's host belongs"
                                                + " to, e.g. {db.host: database}");
                            } else if (!c.services().containsKey(dependency)) {
                                problem(
                                        at + ".attributes." + attribute,
                                        unknownService(dependency, c.services()));
                            }
                        });
        positive(at + ".sustain", d.sustain(), true);
        positive(at + ".noDataAfter", d.noDataAfter(), false);
        if (d.sustain().compareTo(d.noDataAfter()) >= 0) {
            problem(
                    at + ".sustain",
                    "must be shorter than noDataAfter ("
                            + DurationText.format(d.noDataAfter())
                            + "), or a caller is forgotten before its signal can open");
        }
        range(at + ".minPeers", d.minPeers(), 1, 1000, "callers that must agree, e.g. 2");
        range(at + ".maxCallers", d.maxCallers(), 2, 10_000, "callers per dependency, e.g. 64");
    }

    private void checkErrorPatterns(ErrorPatternSettings e) {
        String at = "detectors.errorPatterns";
        if (e.levels().isEmpty()) {
            problem(at + ".levels", "empty; list the levels that can signal, e.g. [WARN, ERROR]");
        }
        for (int i = 0; i < e.levels().size(); i++) {
            String level = e.levels().get(i);
            if (level == null || level.isBlank()) {
                problem(at + ".levels[" + i + "]", "empty; give a log level such as ERROR");
            }
        }
        if (!(e.similarity() > 0 && e.similarity() <= 1)) {
            problem(at + ".similarity", "expected a share above 0 and at most 1, e.g. 0.5");
        }
        range(at + ".depth", e.depth(), 0, 8, "leading tokens, e.g. 0");
        range(
                at + ".maxTemplates",
                e.maxTemplates(),
                1,
                10_000,
                "templates per service, e.g. 1000");
        positive(at + ".forgetAfter", e.forgetAfter(), false);
        positive(at + ".bucket", e.bucket(), false);
        positive(at + ".window", e.window(), false);
        long bucket = e.bucket().toMillis();
        long window = e.window().toMillis();
        if (bucket > 0 && window > 0) {
            if (window < bucket || window % bucket != 0) {
                problem(
                        at + ".window",
                        "must be a whole number of buckets ("
                                + DurationText.format(e.bucket())
                                + " each), e.g. 1m for 10s buckets");
            } else if (window / bucket > 360) {
                problem(at + ".window", "at most 360 buckets; use a longer bucket");
            }
        }
        if (window > 0 && e.forgetAfter().toMillis() > 0 && e.forgetAfter().toMillis() < window) {
            problem(
                    at + ".forgetAfter",
                    "must be at least the window ("
                            + DurationText.format(e.window())
                            + "): a template forgotten between its lines loses its rate; e.g. 7d");
        }
        range(at + ".minCount", e.minCount(), 1, 1_000_000, "lines per window, e.g. 3");
        positive(at + ".warmup", e.warmup(), true);
        if (!(e.surgeDeviation() > 0)) {
            problem(at + ".surgeDeviation", "expected a robust z-score above 0, e.g. 6");
        }
        if (!(e.surgeRatio() >= 1)) {
            problem(at + ".surgeRatio", "expected a factor of at least 1, e.g. 3");
        }
        positive(at + ".clearAfter", e.clearAfter(), false);
        positive(at + ".halfLife", e.halfLife(), false);
    }

    private void range(String path, int value, int min, int max, String example) {
        if (value < min || value > max) {
            problem(path, "expected " + min + " to " + max + " " + example + "; got " + value);
        }
    }

    private void checkCorrelation(CorrelationSettings c) {
        positive("correlation.quietPeriod", c.quietPeriod(), true);
        positive("correlation.gap", c.gap(), true);
        positive("correlation.rankWindow", c.rankWindow(), false);
        positive("correlation.changeWindow", c.changeWindow(), true);
        positive("correlation.identifyAfter", c.identifyAfter(), true);
        positive("correlation.effectWindow", c.effectWindow(), false);
        if (c.gap().compareTo(c.quietPeriod()) > 0) {
            problem(
                    "correlation.gap",
                    "longer than quietPeriod ("
                            + DurationText.format(c.quietPeriod())
                            + "); an incident is resolved before the gap could end, so make it"
                            + " at most the quiet period");
        }
        positive("correlation.growingAfter", c.growingAfter(), true);
        positive("correlation.separateAfter", c.separateAfter(), true);
        if (c.minSignals() < 1) {
            problem("correlation.minSignals", "expected 1 or more");
        }
        if (c.identifyAt() <= 0 || c.identifyAt() > 1) {
            problem(
                    "correlation.identifyAt",
                    "expected a confidence above 0 and at most 1, e.g. 0.6");
        }
        if (c.errorMetric().isBlank()) {
            problem(
                    "correlation.errorMetric",
                    "empty; name the failed-request share metric, e.g. error_ratio");
        }
        if (c.loadMetric().isBlank()) {
            problem(
                    "correlation.loadMetric",
                    "empty; name the request-rate metric, e.g. request_rate");
        }
    }

    private void checkPatterns(PatternsConfig p) {
        for (int i = 0; i < p.chains().size(); i++) {
            List<?> chain = p.chains().get(i);
            String at = "patterns.chains[" + i + "]";
            if (chain.size() < 2 || chain.stream().anyMatch(java.util.Objects::isNull)) {
                problem(
                        at,
                        "expected two or more signal kinds, cause first, e.g. [SATURATION,"
                                + " BACKLOG_GROWTH]");
            } else if (new HashSet<>(chain).size() < chain.size()) {
                problem(at, "a signal kind appears twice; a chain names each kind once");
            }
        }
        for (int i = 0; i < p.selfNaming().size(); i++) {
            PatternsConfig.SelfNaming n = p.selfNaming().get(i);
            String at = "patterns.selfNaming[" + i + "]";
            if (n == null || n.signal() == null || n.cause() == null) {
                problem(
                        at,
                        "give the signal kind and the cause it names, e.g. {signal: REFRESH_STORM,"
                                + " cause: TOKEN_REFRESH_STORM}");
            } else if (n.authEvent() != null
                    && n.signal() != io.incidentanalyzer.model.SignalKind.AUTH_FAILURES) {
                problem(
                        at + ".authEvent",
                        "only auth-failure signals count authentication events; use signal:"
                                + " AUTH_FAILURES or drop authEvent");
            }
        }
        if (p.waitingResources().stream().anyMatch(m -> m == null || m.isBlank())) {
            problem(
                    "patterns.waitingResources",
                    "an empty entry; list metric names, e.g. [connection_pool_utilization]");
        }
        if (p.identifiedAtOnce().stream().anyMatch(java.util.Objects::isNull)) {
            problem(
                    "patterns.identifiedAtOnce",
                    "an empty entry; list cause kinds, e.g. [BAD_DEPLOY]");
        }
        PatternsConfig.Thresholds t = p.thresholds();
        positive("patterns.thresholds.onsetTolerance", t.onsetTolerance(), true);
        positive("patterns.thresholds.deployAfterOnset", t.deployAfterOnset(), true);
        positive("patterns.thresholds.cascadeGap", t.cascadeGap(), true);
        positive("patterns.thresholds.updateHold", t.updateHold(), false);
        t.severityScores()
                .forEach(
                        (severity, score) -> {
                            if (score == null || !(score > 0 && score <= 1)) {
                                problem(
                                        "patterns.thresholds.severityScores."
                                                + severity.name().toLowerCase(Locale.ROOT),
                                        "expected a score above 0 and at most 1, e.g. 0.8");
                            }
                        });
        if (!(t.improvedAt() >= -1 && t.improvedAt() < 0)) {
            problem(
                    "patterns.thresholds.improvedAt",
                    "expected a fall between -1 and 0 (exclusive), e.g. -0.5 for half");
        }
        if (!(t.worseAt() > 0)) {
            problem(
                    "patterns.thresholds.worseAt",
                    "expected a rise above 0, e.g. 0.25 for a quarter");
        }
        if (!(t.worthANumber() >= 0 && t.worthANumber() < 1)) {
            problem(
                    "patterns.thresholds.worthANumber",
                    "expected a share from 0 to below 1, e.g. 0.05");
        }
        if (!(t.majorOutageAt() > 0 && t.majorOutageAt() <= 1)) {
            problem(
                    "patterns.thresholds.majorOutageAt",
                    "expected a share of failed requests above 0 and at most 1, e.g. 0.5");
        }
        if (!(t.partialOutageAt() > 0 && t.partialOutageAt() <= t.majorOutageAt())) {
            problem(
                    "patterns.thresholds.partialOutageAt",
                    "expected a share above 0 and at most majorOutageAt, e.g. 0.05");
        }
        p.advice()
                .forEach(
                        (kind, lines) -> {
                            if (lines == null
                                    || lines.stream().anyMatch(l -> l == null || l.isBlank())) {
                                problem(
                                        "patterns.advice." + kind.name().toLowerCase(Locale.ROOT),
                                        "an empty sentence; give a list of sentences, or [] for"
                                                + " none");
                            }
                        });
        p.statusAdvice()
                .forEach(
                        (kind, line) -> {
                            if (line == null || line.isBlank()) {
                                problem(
                                        "patterns.statusAdvice."
                                                + kind.name().toLowerCase(Locale.ROOT),
                                        "empty; give a sentence for the status update");
                            }
                        });
        for (int i = 0; i < p.metrics().nameRules().size(); i++) {
            PatternsConfig.Replace r = p.metrics().nameRules().get(i);
            if (r == null || r.find() == null || r.find().isEmpty() || r.replace() == null) {
                problem(
                        "patterns.metrics.nameRules[" + i + "]",
                        "give the text to find and its replacement, e.g. {find: \"cpu \", replace:"
                                + " \"CPU \"}");
            }
        }
    }

    private void positive(String path, Duration d, boolean zeroAllowed) {
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            problem(path, "expected " + (zeroAllowed ? "zero or more" : "more than zero"));
        }
    }

    private static String unknownService(String name, Map<String, ServiceConfig> services) {
        return "unknown service '"
                + name
                + "'; defined under services: "
                + (services.isEmpty() ? "(none)" : String.join(", ", services.keySet()));
    }

    /** Depth-first search; returns the cycle as "a -> b -> a", or null when there is none. */
    private static String findCycle(Map<String, ServiceConfig> services) {
        Map<String, Integer> colour = new HashMap<>(); // absent: new, 1: on path, 2: done
        for (String start : services.keySet()) {
            List<String> path = new ArrayList<>();
            String cycle = visit(start, services, colour, path);
            if (cycle != null) return cycle;
        }
        return null;
    }

    private static String visit(
            String node,
            Map<String, ServiceConfig> services,
            Map<String, Integer> colour,
            List<String> path) {
        Integer c = colour.get(node);
        if (c != null && c == 2) return null;
        if (c != null && c == 1) {
            List<String> loop = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            loop.add(node);
            return String.join(" -> ", loop);
        }
        colour.put(node, 1);
        path.add(node);
        ServiceConfig s = services.get(node);
        if (s != null) {
            for (String dep : s.dependsOn()) {
                if (!dep.equals(node)) {
                    String cycle = visit(dep, services, colour, path);
                    if (cycle != null) return cycle;
                }
            }
        }
        path.remove(path.size() - 1);
        colour.put(node, 2);
        return null;
    }
}
