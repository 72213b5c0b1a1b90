package io.incidentanalyzer.simulate;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.config.YamlFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads and checks a scenario file and the job file it names. Every mistake is a {@link
 * ConfigException} naming the scenario file, the field path and the fix.
 */
public final class ScenarioLoader {

    /** A checked scenario and the job file it simulates. */
    public record Loaded(String source, Scenario scenario, JobConfig job) {}

    private ScenarioLoader() {}

    public static Loaded load(Path file) {
        String text =
                YamlFiles.readText(
                        file, "a scenario file, e.g. jobs/scenarios/watermelon-2024-02-16.yaml");
        return parse(
                text,
                file.toString(),
                job -> JobConfigLoader.load(nearby(file, "job", job)),
                traffic -> {
                    Path p = nearby(file, "trafficFrom", traffic);
                    return YamlFiles.parse(
                            YamlFiles.readText(p, "a traffic file"),
                            p.toString(),
                            Traffic.class,
                            "jobs/scenarios/traffic/watermelon.yaml");
                });
    }

    private static Path nearby(Path scenario, String field, String path) {
        Path p = scenario.toAbsolutePath().getParent().resolve(path).normalize();
        if (!Files.isRegularFile(p)) {
            throw new ConfigException(
                    scenario
                            + ": "
                            + field
                            + ": no file at "
                            + p
                            + " (the path is relative to the scenario's folder)");
        }
        return p;
    }

    /** A scenario bundled in the jar, e.g. {@code jobs/scenarios/watermelon-2024-02-16.yaml}. */
    public static Loaded loadResource(String resource) {
        String folder =
                resource.contains("/") ? resource.substring(0, resource.lastIndexOf('/') + 1) : "";
        Function<String, String> near =
                path -> Path.of(folder + path).normalize().toString().replace('\\', '/');
        return parse(
                resourceText(resource),
                resource,
                job -> JobConfigLoader.parse(resourceText(near.apply(job)), near.apply(job)),
                traffic ->
                        YamlFiles.parse(
                                resourceText(near.apply(traffic)),
                                near.apply(traffic),
                                Traffic.class,
                                "jobs/scenarios/traffic/watermelon.yaml"));
    }

    private static String resourceText(String resource) {
        try (InputStream in = ScenarioLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new ConfigException(resource + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(resource + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Parses scenario text whose job file {@code jobs} reads and which has its traffic inline. */
    public static Loaded parse(String yaml, String source, Function<String, JobConfig> jobs) {
        return parse(
                yaml,
                source,
                jobs,
                path -> {
                    throw new ConfigException(
                            source + ": trafficFrom: not available here; give traffic inline");
                });
    }

    /**
     * Parses scenario text; {@code jobs} turns its job path into a job file, {@code traffics} its
     * trafficFrom path into a traffic block.
     */
    public static Loaded parse(
            String yaml,
            String source,
            Function<String, JobConfig> jobs,
            Function<String, Traffic> traffics) {
        Scenario s =
                YamlFiles.parse(
                        yaml, source, Scenario.class, "jobs/scenarios/watermelon-2024-02-16.yaml");
        if (s.trafficFrom() != null) {
            if (s.traffic() != null) {
                throw new ConfigException(
                        source + ": trafficFrom and traffic: give one of them, not both");
            }
            s = s.withTraffic(traffics.apply(s.trafficFrom()));
        }
        List<String> errors = new ArrayList<>();
        require(
                errors,
                s.name() != null && !s.name().isBlank(),
                "name: missing; give the scenario a name");
        if (s.job() == null || s.job().isBlank()) {
            throw new ConfigException(
                    source + ": job: missing; name the job file, e.g. job: ../watermelon.yaml");
        }
        JobConfig job = jobs.apply(s.job());
        Check c = new Check(errors, s, job);
        c.run();
        if (!errors.isEmpty()) {
            throw new ConfigException(source + ": " + String.join("; ", errors));
        }
        return new Loaded(source, s, job);
    }

    private static void require(List<String> errors, boolean ok, String message) {
        if (!ok) errors.add(message);
    }

    /** The checks that need the whole scenario and its job file. */
    private record Check(List<String> errors, Scenario s, JobConfig job) {

        void run() {
            try {
                ZoneId.of(s.timeZone());
            } catch (DateTimeException e) {
                errors.add(
                        "timeZone: '"
                                + s.timeZone()
                                + "' is not an IANA zone, e.g. Europe/Amsterdam");
                return;
            }
            if (s.start() == null || s.end() == null) {
                errors.add("start and end: both required, e.g. start: 2024-02-16T06:00");
                return;
            }
            if (!s.end().isAfter(s.start()))
                errors.add("end: must be after start (" + s.start() + ")");
            if (s.interval().compareTo(Duration.ofSeconds(1)) < 0)
                errors.add("interval: at least 1s (the simulator steps and samples at it)");
            if (s.traffic() == null) {
                errors.add(
                        "traffic: missing; give at least traffic.sessions, clients and services");
                return;
            }
            traffic(s.traffic());
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < s.faults().size(); i++) {
                fault("faults[" + i + "]", s.faults().get(i), ids);
            }
            for (int i = 0; i < s.actions().size(); i++) {
                action("actions[" + i + "]", s.actions().get(i));
            }
        }

        private void traffic(Traffic t) {
            if (t.sessions() == null || t.sessions() < 1) {
                errors.add(
                        "traffic.sessions: a whole number of at least 1 (active sessions at peak)");
            }
            share(t.quietShare(), "traffic.quietShare");
            if (t.peakHour() < 0 || t.peakHour() >= 24)
                errors.add("traffic.peakHour: an hour from 0 to 23.99");
            if (t.noise() < 0 || t.noise() > 0.5)
                errors.add("traffic.noise: a share from 0 to 0.5");
            positive(t.sessionLength(), "traffic.sessionLength");
            positive(t.tokenLifetime(), "traffic.tokenLifetime");
            if (t.refreshBefore().isNegative()
                    || t.refreshBefore().compareTo(t.tokenLifetime()) >= 0) {
                errors.add("traffic.refreshBefore: must be shorter than traffic.tokenLifetime");
            }
            if (t.clients().isEmpty())
                errors.add(
                        "traffic.clients: list at least one client, e.g. {id: web, version: '1.0',"
                                + " share: 1}");
            double shares = 0;
            Set<String> clientIds = new HashSet<>();
            for (int i = 0; i < t.clients().size(); i++) {
                Traffic.ClientSpec cl = t.clients().get(i);
                String at = "traffic.clients[" + i + "]";
                if (cl.id() == null) errors.add(at + ".id: missing");
                else if (!clientIds.add(cl.id()))
                    errors.add(at + ".id: '" + cl.id() + "' is listed twice");
                if (cl.version() == null) errors.add(at + ".version: missing");
                if (cl.share() == null || cl.share() <= 0 || cl.share() > 1)
                    errors.add(at + ".share: a share above 0 and at most 1");
                else shares += cl.share();
            }
            if (!t.clients().isEmpty() && Math.abs(shares - 1) > 0.001) {
                errors.add("traffic.clients: the shares add up to " + round(shares) + ", not 1");
            }
            if (!job.services().containsKey(t.tokenService())) {
                errors.add(
                        "traffic.tokenService: '"
                                + t.tokenService()
                                + "' is not a service of the job file; name the service that writes"
                                + " the auth log");
            }
            if (t.services().isEmpty())
                errors.add("traffic.services: give the load of at least one service");
            t.services().forEach(this::service);
        }

        private void service(String name, Traffic.ServiceLoad l) {
            String at = "traffic.services." + name;
            if (!job.services().containsKey(name)) {
                errors.add(
                        at
                                + ": not a service of the job file; its services: "
                                + String.join(", ", job.services().keySet()));
                return;
            }
            if (l == null) {
                errors.add(at + ": give at least rps and capacity");
                return;
            }
            if (l.rps() == null || l.rps() < 0)
                errors.add(at + ".rps: requests per second at peak, 0 or more");
            if (l.capacity() == null || l.capacity() <= 0)
                errors.add(at + ".capacity: requests per second it can serve, above 0");
            positive(l.latency(), at + ".latency");
            positive(l.timeout(), at + ".timeout");
            if (l.connections() != null && l.connections() < 1)
                errors.add(at + ".connections: at least 1");
            share(l.errorRatio(), at + ".errorRatio");
            if (l.refreshCost() < 0) errors.add(at + ".refreshCost: 0 or more");
            List<String> deps = job.services().get(name).dependsOn();
            l.calls()
                    .forEach(
                            (dep, n) -> {
                                if (!deps.contains(dep))
                                    errors.add(
                                            at
                                                    + ".calls."
                                                    + dep
                                                    + ": "
                                                    + name
                                                    + " does not depend on "
                                                    + dep
                                                    + " in the job file");
                                else if (n == null || n < 0)
                                    errors.add(
                                            at + ".calls." + dep + ": 0 or more calls per request");
                            });
        }

        private void fault(String at, FaultSpec f, Set<String> ids) {
            if (f.id() == null || f.id().isBlank())
                errors.add(at + ".id: missing; give the fault an id");
            else if (!ids.add(f.id())) errors.add(at + ".id: '" + f.id() + "' is used twice");
            if (f.kind() == null) {
                errors.add(at + ".kind: missing; one of: " + kinds());
                return;
            }
            serviceRef(at + ".service", f.service(), true);
            simulated(at + ".service", f);
            inPeriod(at + ".at", f.at(), true);
            inPeriod(at + ".until", f.until(), false);
            if (f.at() != null && f.until() != null && !f.until().isAfter(f.at()))
                errors.add(at + ".until: must be after at");
            if (f.role() == FaultRole.CONTRIBUTING) {
                FaultSpec root = f.partOf() == null ? null : s.fault(f.partOf());
                if (root == null)
                    errors.add(
                            at
                                    + ".partOf: a contributing fault names the id of the root fault"
                                    + " it makes worse");
                else if (root.role() != FaultRole.ROOT)
                    errors.add(at + ".partOf: '" + f.partOf() + "' is not a root fault");
            } else if (f.partOf() != null) {
                errors.add(at + ".partOf: only a fault with role: contributing has one");
            }
            positive(f.ramp(), at + ".ramp");
            Set<String> params =
                    switch (f.kind()) {
                        case REFRESH_STORM ->
                                Set.of("client", "version", "adoption", "refreshEvery");
                        case SATURATION, SLOWDOWN, EXTERNAL_SLOW, SURGE -> Set.of("factor");
                        case BAD_DEPLOY -> Set.of("version", "factor", "errorRatio");
                        case WRONG_HOST -> Set.of("dependency", "host", "factor");
                        case MISSING_TOKEN -> Set.of("callee");
                        case FLAPPING -> Set.of("metric", "around", "amplitude", "period");
                    };
            Map<String, Object> given = new java.util.LinkedHashMap<>();
            given.put("client", f.client());
            given.put("version", f.version());
            given.put("adoption", f.adoption());
            given.put("refreshEvery", f.refreshEvery());
            given.put("factor", f.factor());
            given.put("errorRatio", f.errorRatio());
            given.put("dependency", f.dependency());
            given.put("host", f.host());
            given.put("callee", f.callee());
            given.put("metric", f.metric());
            given.put("around", f.around());
            given.put("amplitude", f.amplitude());
            given.put("period", f.period());
            given.forEach(
                    (k, v) -> {
                        if (v != null && !params.contains(k)) {
                            errors.add(
                                    at
                                            + "."
                                            + k
                                            + ": not a setting of a "
                                            + f.kind().fileName()
                                            + " fault; its settings: "
                                            + String.join(", ", params.stream().sorted().toList()));
                        }
                    });
            List<String> optional = List.of("adoption", "factor", "errorRatio");
            for (String p : params) {
                if (given.get(p) == null && !optional.contains(p))
                    errors.add(at + "." + p + ": required for a " + f.kind().fileName() + " fault");
            }
            switch (f.kind()) {
                case REFRESH_STORM -> {
                    if (f.client() != null
                            && s.traffic().clients().stream()
                                    .noneMatch(c -> c.id().equals(f.client()))) {
                        errors.add(at + ".client: '" + f.client() + "' is not in traffic.clients");
                    }
                    if (f.adoption() != null) share(f.adoption(), at + ".adoption");
                    positive(f.refreshEvery(), at + ".refreshEvery");
                }
                case SATURATION, SURGE -> atLeast(f.factor(), 0.0, at + ".factor", true);
                case SLOWDOWN, EXTERNAL_SLOW -> atLeast(f.factor(), 1.0, at + ".factor", true);
                case BAD_DEPLOY -> {
                    atLeast(f.factor(), 1.0, at + ".factor", false);
                    if (f.errorRatio() != null) share(f.errorRatio(), at + ".errorRatio");
                }
                case WRONG_HOST -> {
                    atLeast(f.factor(), 1.0, at + ".factor", false);
                    if (f.service() != null
                            && f.dependency() != null
                            && job.services().containsKey(f.service())
                            && !job.services()
                                    .get(f.service())
                                    .dependsOn()
                                    .contains(f.dependency())) {
                        errors.add(
                                at
                                        + ".dependency: "
                                        + f.service()
                                        + " does not depend on '"
                                        + f.dependency()
                                        + "' in the job file");
                    }
                }
                case MISSING_TOKEN -> {
                    serviceRef(at + ".callee", f.callee(), false);
                    if (f.service() != null
                            && f.callee() != null
                            && job.services().containsKey(f.service())
                            && job.services().containsKey(f.callee())
                            && !job.services().get(f.service()).dependsOn().contains(f.callee())) {
                        errors.add(
                                at
                                        + ".callee: "
                                        + f.service()
                                        + " does not depend on '"
                                        + f.callee()
                                        + "' in the job file; the callee is a service it calls");
                    }
                }
                case FLAPPING -> {
                    positive(f.period(), at + ".period");
                    if (f.amplitude() != null && f.amplitude() <= 0)
                        errors.add(at + ".amplitude: above 0");
                }
            }
        }

        /**
         * The simulator can only change a service it models: a fault's service needs a load in
         * traffic.services (surge and flapping excepted), and a refresh storm hits the token
         * service.
         */
        private void simulated(String at, FaultSpec f) {
            if (f.service() == null || !job.services().containsKey(f.service())) return;
            if (f.kind() == FaultKind.REFRESH_STORM) {
                if (!f.service().equals(s.traffic().tokenService()))
                    errors.add(
                            at
                                    + ": a refresh storm hits the token service; set it to '"
                                    + s.traffic().tokenService()
                                    + "' (traffic.tokenService)");
            } else if (f.kind() != FaultKind.SURGE
                    && f.kind() != FaultKind.FLAPPING
                    && !s.traffic().services().containsKey(f.service())) {
                errors.add(
                        at
                                + ": '"
                                + f.service()
                                + "' has no load in traffic.services, so a "
                                + f.kind().fileName()
                                + " fault there would change nothing; add it under"
                                + " traffic.services");
            }
        }

        private void action(String at, ActionSpec a) {
            inPeriod(at + ".at", a.at(), true);
            if (a.kind() == null)
                errors.add(at + ".kind: missing; one of: deploy, rollback, config, feature_flag");
            serviceRef(at + ".service", a.service(), true);
            for (String id : a.stops()) {
                if (s.fault(id) == null) errors.add(at + ".stops: no fault with id '" + id + "'");
            }
        }

        private void serviceRef(String at, String name, boolean required) {
            if (name == null) {
                if (required) errors.add(at + ": missing; name a service of the job file");
            } else if (!job.services().containsKey(name)) {
                errors.add(
                        at
                                + ": '"
                                + name
                                + "' is not a service of the job file; its services: "
                                + String.join(", ", job.services().keySet()));
            }
        }

        private void inPeriod(String at, LocalDateTime t, boolean required) {
            if (t == null) {
                if (required) errors.add(at + ": missing; a local time such as " + s.start());
            } else if (t.isBefore(s.start()) || t.isAfter(s.end())) {
                errors.add(
                        at
                                + ": "
                                + t
                                + " is outside the scenario ("
                                + s.start()
                                + " to "
                                + s.end()
                                + ")");
            }
        }

        private void positive(Duration d, String at) {
            if (d != null && (d.isZero() || d.isNegative()))
                errors.add(at + ": must be longer than 0");
        }

        private void share(Double v, String at) {
            if (v != null && (v < 0 || v > 1)) errors.add(at + ": a share from 0 to 1, got " + v);
        }

        private void atLeast(Double v, double min, String at, boolean required) {
            if (v == null) {
                if (required) errors.add(at + ": required");
            } else if (v < min) {
                errors.add(at + ": at least " + round(min) + ", got " + v);
            }
        }

        private static String kinds() {
            return String.join(
                    ", ",
                    java.util.Arrays.stream(FaultKind.values()).map(FaultKind::fileName).toList());
        }

        private static String round(double v) {
            return String.format(java.util.Locale.ROOT, "%.3g", v);
        }
    }
}
