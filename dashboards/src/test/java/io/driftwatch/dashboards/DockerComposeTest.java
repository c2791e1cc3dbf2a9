package io.driftwatch.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.driftwatch.producers.tap.TapSettings;
import io.driftwatch.streams.app.MonitorAppSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/compose.yaml and docker/Dockerfile, checked without a Docker engine: every file they mount
 * exists, the ports are the application's defaults, Prometheus scrapes the monitor and loads the shipped
 * rules, Grafana gets the shipped dashboards; and docker-compose, promtool and amtool accept the files
 * when they are installed.
 */
class DockerComposeTest {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path DOCKER = REPO.resolve("docker");
  private static final Path COMPOSE = DOCKER.resolve("compose.yaml");
  private static final YAMLMapper YAML = new YAMLMapper();

  private final JsonNode compose = read(COMPOSE);
  private final JsonNode services = compose.path("services");

  @Test
  void everyBindMountedFileAndFolderExistsAndEveryNamedVolumeIsDeclared() {
    List<String> checked = new ArrayList<>();
    services.fields().forEachRemaining(service -> {
      for (Mount m : mounts(service.getValue())) {
        if (m.bind()) {
          assertThat(m.hostPath()).as("service %s mounts %s", service.getKey(), m.source()).exists();
          checked.add(m.source());
        } else {
          assertThat(compose.path("volumes").has(m.source())).as("named volume %s of %s is declared", m.source(), service.getKey())
              .isTrue();
        }
      }
      JsonNode build = service.getValue().path("build");
      if (!build.isMissingNode()) {
        Path context = DOCKER.resolve(build.path("context").asText()).normalize();
        assertThat(context.resolve(build.path("dockerfile").asText("Dockerfile"))).as("Dockerfile of %s", service.getKey()).isRegularFile();
      }
    });
    assertThat(checked).isNotEmpty();
  }

  @Test
  void theMonitorListensOnTheApplicationsDefaultPortsOnEveryAddressAndPublishesThem() {
    JsonNode monitor = services.path(monitorService());
    Map<String, String> flags = flags(monitor.path("command"));
    assertThat(flags).containsEntry("--bootstrap", "kafka:9092")
        .containsEntry("--metrics-host", "0.0.0.0").containsEntry("--metrics-port", "" + MonitorAppSettings.DEFAULT_METRICS_PORT)
        .containsEntry("--web-host", "0.0.0.0").containsEntry("--web-port", "" + MonitorAppSettings.DEFAULT_WEB_PORT);
    assertThat(services.has("kafka")).isTrue();

    Set<Integer> defaults = Set.of(MonitorAppSettings.DEFAULT_METRICS_PORT, MonitorAppSettings.DEFAULT_WEB_PORT);
    List<PortMapping> ports = ports(monitor);
    assertThat(ports).extracting(PortMapping::container).containsExactlyInAnyOrderElementsOf(defaults);
    assertThat(ports).allSatisfy(p -> assertThat(p.host()).isEqualTo(p.container()));
    assertThat(monitor.path("healthcheck").path("test").toString())
        .contains("127.0.0.1:" + MonitorAppSettings.DEFAULT_METRICS_PORT + "/health/ready");

    // The state directory is a named volume at the --state-dir the monitor is given.
    assertThat(mounts(monitor)).anySatisfy(m -> {
      assertThat(m.bind()).isFalse();
      assertThat(m.target()).isEqualTo(flags.get("--state-dir"));
    });
  }

  @Test
  void theDockerfileExposesTheMonitorsAndTheTapsDefaultPorts() throws IOException {
    String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
    Matcher expose = Pattern.compile("(?m)^EXPOSE\\s+(.+)$").matcher(dockerfile);
    Set<Integer> exposed = new TreeSet<>();
    while (expose.find()) {
      for (String port : expose.group(1).trim().split("\\s+")) {
        exposed.add(Integer.parseInt(port));
      }
    }
    assertThat(exposed).containsExactlyInAnyOrder(MonitorAppSettings.DEFAULT_METRICS_PORT, MonitorAppSettings.DEFAULT_WEB_PORT,
        TapSettings.DEFAULT_PORT, tapMetricsPort());
  }

  @Test
  void prometheusScrapesTheMonitorByServiceNameAndLoadsTheShippedRuleFiles() throws IOException {
    JsonNode prometheus = services.path("prometheus");
    Mount config = mountWithTarget(prometheus, flags(prometheus.path("command")).get("--config.file"));
    assertThat(config.hostPath()).isEqualTo(DOCKER.resolve("prometheus/prometheus.yml"));
    JsonNode ours = read(config.hostPath());
    JsonNode shipped = read(REPO.resolve("dashboards/prometheus/prometheus.yml"));

    // The shipped alert rules select on the job name (up{job="driftwatch"}): keep it.
    JsonNode job = ours.path("scrape_configs").get(0);
    assertThat(job.path("job_name").asText()).isEqualTo(shipped.path("scrape_configs").get(0).path("job_name").asText());
    assertThat(job.path("static_configs").get(0).path("targets").get(0).asText())
        .isEqualTo(monitorService() + ":" + MonitorAppSettings.DEFAULT_METRICS_PORT);

    String configDir = Path.of(config.target()).getParent().toString();
    List<Path> loaded = new ArrayList<>();
    for (JsonNode pattern : ours.path("rule_files")) {
      loaded.addAll(glob(hostPath(prometheus, configDir + "/" + pattern.asText())));
    }
    List<Path> shippedRules = new ArrayList<>();
    for (JsonNode pattern : shipped.path("rule_files")) {
      shippedRules.addAll(glob(REPO.resolve("dashboards/prometheus").resolve(pattern.asText())));
    }
    assertThat(shippedRules).isNotEmpty();
    assertThat(loaded).containsExactlyInAnyOrderElementsOf(shippedRules);

    String alertmanager = ours.path("alerting").path("alertmanagers").get(0).path("static_configs").get(0).path("targets").get(0).asText();
    String[] hostPort = alertmanager.split(":");
    assertThat(services.has(hostPort[0])).as("Alertmanager target %s is a service", alertmanager).isTrue();
    assertThat(ports(services.path(hostPort[0]))).extracting(PortMapping::container).contains(Integer.parseInt(hostPort[1]));
  }

  @Test
  void grafanaProvisionsThePrometheusServiceAndTheShippedDashboards() throws IOException {
    JsonNode grafana = services.path("grafana");
    Path datasources = hostPath(grafana, "/etc/grafana/provisioning/datasources");
    Path providers = hostPath(grafana, "/etc/grafana/provisioning/dashboards");

    List<String> urls = new ArrayList<>();
    for (Path file : yamlFiles(datasources)) {
      read(file).path("datasources").forEach(d -> urls.add(d.path("url").asText()));
    }
    assertThat(urls).contains("http://prometheus:" + ports(services.path("prometheus")).get(0).container());

    List<Path> provisioned = new ArrayList<>();
    for (Path file : yamlFiles(providers)) {
      for (JsonNode provider : read(file).path("providers")) {
        try (Stream<Path> files = Files.list(hostPath(grafana, provider.path("options").path("path").asText()))) {
          provisioned.addAll(files.filter(f -> f.toString().endsWith(".json")).toList());
        }
      }
    }
    try (Stream<Path> shipped = Files.list(REPO.resolve("dashboards/grafana/dashboards"))) {
      assertThat(provisioned).isNotEmpty().containsExactlyInAnyOrderElementsOf(shipped.filter(f -> f.toString().endsWith(".json")).toList());
    }
  }

  @Test
  void dockerComposeAcceptsTheFile() throws Exception {
    List<String> command;
    if (PromtoolTest.onPath("docker-compose") != null) {
      command = new ArrayList<>(List.of(PromtoolTest.onPath("docker-compose")));
    } else {
      String docker = PromtoolTest.onPath("docker");
      assumeTrue(docker != null && exec(REPO, docker, "compose", "version").exit() == 0,
          "neither docker-compose nor docker compose is installed; install it with: apt-get install -y docker-compose");
      command = new ArrayList<>(List.of(docker, "compose"));
    }
    command.addAll(List.of("-f", COMPOSE.toString(), "--profile", "demo", "config", "-q"));
    Result result = exec(REPO, command.toArray(String[]::new));
    assertThat(result.exit()).as(result.output()).isZero();
  }

  @Test
  void promtoolAcceptsTheComposePrometheusConfigWithTheMountedRules(@TempDir Path dir) throws Exception {
    String promtool = PromtoolTest.onPath("promtool");
    assumeTrue(promtool != null, "promtool is not installed; install it with: apt-get install -y prometheus");
    // The container's /etc/prometheus, rebuilt from the compose file's mounts.
    JsonNode prometheus = services.path("prometheus");
    for (Mount m : mounts(prometheus)) {
      if (m.bind() && m.target().startsWith("/etc/prometheus/")) {
        Path at = dir.resolve(m.target().substring("/etc/prometheus/".length()));
        Files.createDirectories(at.getParent());
        Files.createSymbolicLink(at, m.hostPath());
      }
    }
    Result result = exec(dir, promtool, "check", "config", "prometheus.yml");
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: 1 rule files found").containsPattern("SUCCESS: [1-9][0-9]* rules found");
  }

  @Test
  void amtoolAcceptsTheMountedAlertmanagerConfig() throws Exception {
    String amtool = PromtoolTest.onPath("amtool");
    assumeTrue(amtool != null, "amtool is not installed; install it with: apt-get install -y prometheus-alertmanager");
    JsonNode alertmanager = services.path("alertmanager");
    Path config = mountWithTarget(alertmanager, flags(alertmanager.path("command")).get("--config.file")).hostPath();
    Result result = exec(REPO, amtool, "check-config", config.toString());
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  // ---- reading the compose file

  /** The service that runs the monitor: the one whose command is {@code run}. */
  private String monitorService() {
    List<String> names = new ArrayList<>();
    services.fields().forEachRemaining(s -> {
      if (s.getValue().path("command").path(0).asText().equals("run")) {
        names.add(s.getKey());
      }
    });
    assertThat(names).hasSize(1);
    return names.get(0);
  }

  private record Mount(String source, String target, boolean bind) {
    Path hostPath() {
      return DOCKER.resolve(source).normalize();
    }
  }

  /** Short-syntax volumes ("source:target[:mode]"); a source starting with . or / is a bind mount. */
  private static List<Mount> mounts(JsonNode service) {
    List<Mount> out = new ArrayList<>();
    for (JsonNode v : service.path("volumes")) {
      String[] parts = v.asText().split(":");
      assertThat(parts.length).as("short volume syntax: %s", v).isBetween(2, 3);
      out.add(new Mount(parts[0], parts[1], parts[0].startsWith(".") || parts[0].startsWith("/")));
    }
    return out;
  }

  private static Mount mountWithTarget(JsonNode service, String target) {
    return mounts(service).stream().filter(m -> m.target().equals(target)).findFirst()
        .orElseThrow(() -> new AssertionError("nothing is mounted at " + target));
  }

  /** Where a path inside the container comes from on the host, through the longest bind mount above it. */
  private static Path hostPath(JsonNode service, String containerPath) {
    Mount best = null;
    for (Mount m : mounts(service)) {
      if (m.bind() && (containerPath.equals(m.target()) || containerPath.startsWith(m.target() + "/"))
          && (best == null || m.target().length() > best.target().length())) {
        best = m;
      }
    }
    assertThat(best).as("a bind mount holds %s", containerPath).isNotNull();
    String rest = containerPath.substring(best.target().length());
    return rest.isEmpty() ? best.hostPath() : best.hostPath().resolve(rest.substring(1));
  }

  private record PortMapping(int host, int container) {}

  /** "[address:]host:container[/protocol]" entries. */
  private static List<PortMapping> ports(JsonNode service) {
    List<PortMapping> out = new ArrayList<>();
    for (JsonNode p : service.path("ports")) {
      String[] parts = p.asText().replaceAll("/.*$", "").split(":");
      out.add(new PortMapping(Integer.parseInt(parts[parts.length - 2]), Integer.parseInt(parts[parts.length - 1])));
    }
    return out;
  }

  /** "--name=value" and "--name value" arguments of a command list. */
  private static Map<String, String> flags(JsonNode command) {
    Map<String, String> out = new HashMap<>();
    List<String> args = new ArrayList<>();
    command.forEach(a -> args.add(a.asText()));
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        continue;
      }
      int eq = arg.indexOf('=');
      if (eq > 0) {
        out.put(arg.substring(0, eq), arg.substring(eq + 1));
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        out.put(arg, args.get(++i));
      }
    }
    return out;
  }

  /**
   * The tap's metrics port. It has no Java constant that this module can see (the default lives in the
   * cli module's picocli option), so it is read from that option's declaration.
   */
  private static int tapMetricsPort() throws IOException {
    String source = Files.readString(REPO.resolve("cli/src/main/java/io/driftwatch/cli/TapCommand.java"));
    Matcher m = Pattern.compile("names = \"--metrics-port\"[^@]*?defaultValue = \"(\\d+)\"", Pattern.DOTALL).matcher(source);
    assertThat(m.find()).as("TapCommand declares --metrics-port with a default").isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static List<Path> glob(Path pattern) throws IOException {
    Path dir = pattern.getParent();
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.getFileName());
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> matcher.matches(f.getFileName())).map(Path::normalize).collect(Collectors.toList());
    }
  }

  private static List<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> out = files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).toList();
      assertThat(out).as("provisioning files in %s", dir).isNotEmpty();
      return out;
    }
  }

  private static JsonNode read(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private record Result(int exit, String output) {}

  private static Result exec(Path dir, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", String.join(" ", command)).isTrue();
    return new Result(p.exitValue(), output);
  }
}
