package io.driftwatch.streams.web;

import com.sun.net.httpserver.HttpExchange;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.scoring.compare.Comparer;
import io.driftwatch.scoring.compare.Comparison;
import io.driftwatch.scoring.compare.RunScores;
import io.driftwatch.contract.Score;
import io.driftwatch.scoring.radius.RankCorrelation;
import io.driftwatch.streams.probe.RadiusView;
import io.driftwatch.streams.view.GenerationView;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API (docs/web.md). Any instance answers any request: a generation held by another instance
 * is fetched from it, and the overview and lists add up every instance's part. A request that another
 * instance forwarded is answered from local stores only, so requests never bounce.
 */
final class Api {

  private static final Logger log = LoggerFactory.getLogger(Api.class);
  static final String JSON = "application/json; charset=utf-8";
  static final String SERVED_BY_HEADER = "X-Driftwatch-Served-By";
  private static final String GENERATIONS = "/api/generations";
  private static final int MAX_LIMIT = 1_000;

  private static final String RADIUS = "/api/radius";

  private final LocalViews local;
  private final Peers peers;
  private final Optional<RadiusView> radius;

  Api(LocalViews local, Peers peers) {
    this(local, peers, Optional.empty());
  }

  Api(LocalViews local, Peers peers, Optional<RadiusView> radius) {
    this.local = local;
    this.peers = peers;
    this.radius = radius;
  }

  void handle(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    String path = exchange.getRequestURI().getRawPath();
    boolean forwarded = exchange.getRequestHeaders().containsKey(Peers.FORWARDED_HEADER);
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    try {
      if (path.equals("/api/overview")) {
        json(exchange, 200, overview(forwarded));
      } else if (path.equals(GENERATIONS)) {
        json(exchange, 200, list(query, forwarded));
      } else if (path.startsWith(GENERATIONS + "/") && path.length() > GENERATIONS.length() + 1) {
        generation(exchange, path.substring(GENERATIONS.length() + 1), forwarded);
      } else if (path.equals("/api/compare")) {
        json(exchange, 200, compare(query, forwarded));
      } else if (path.equals("/api/baselines")) {
        json(exchange, 200, baselines(forwarded));
      } else if (path.equals("/api/instances")) {
        json(exchange, 200, instances());
      } else if (path.equals(RADIUS)) {
        json(exchange, 200, radiusListing());
      } else if (path.startsWith(RADIUS + "/") && path.length() > RADIUS.length() + 1) {
        radiusOf(exchange, URLDecoder.decode(path.substring(RADIUS.length() + 1), StandardCharsets.UTF_8));
      } else {
        error(exchange, 404, "no such API path; see docs/web.md");
      }
    } catch (InvalidStateStoreException e) {
      exchange.getResponseHeaders().set("Retry-After", "1");
      error(exchange, 503, "the view is not queryable right now (the application is starting or rebalancing); retry shortly");
    } catch (IllegalArgumentException e) {
      error(exchange, 400, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error(exchange, 503, "interrupted");
    }
  }

  /**
   * What this instance's live radius probe measured (docs/web.md): each model's mean curve, and how its
   * generations' probed radius ranks against their embedding-based {@code coherence_radius}. Local
   * only: each instance's probe reads its own share of the partitions, so with several instances each
   * shows its share; the radius topic has every record.
   *
   * @param probing whether the live probe runs on this instance
   */
  record RadiusListing(boolean probing, List<RadiusView.ModelCurve> models, Double tolerance, List<RadiusCorrelation> correlations) {}

  /**
   * Spearman's rho between the probed radius and the summary's {@code coherence_radius}, over the
   * model's kept probed generations whose view this instance holds and whose summary has the score.
   *
   * @param spearman absent with fewer than three such generations, or when either side is constant
   */
  record RadiusCorrelation(String model, int pairs, Double spearman) {}

  private RadiusListing radiusListing() {
    if (radius.isEmpty()) {
      return new RadiusListing(false, List.of(), null, List.of());
    }
    RadiusView.Listing l = radius.get().listing();
    List<RadiusCorrelation> correlations = new ArrayList<>();
    for (RadiusView.ModelCurve m : l.models()) {
      List<double[]> pairs = new ArrayList<>();
      for (var r : radius.get().records(m.model())) {
        Double embedding = local.summary(r.generationId(), null).map(g -> g.scores().get(Score.COHERENCE_RADIUS.wireName())).orElse(null);
        if (embedding != null && Double.isFinite(embedding)) {
          pairs.add(new double[] {r.radius(), embedding});
        }
      }
      double rho = RankCorrelation.spearman(pairs.stream().mapToDouble(p -> p[0]).toArray(), pairs.stream().mapToDouble(p -> p[1]).toArray());
      correlations.add(new RadiusCorrelation(m.model(), pairs.size(), Double.isNaN(rho) ? null : rho));
    }
    return new RadiusListing(true, l.models(), l.tolerance(), correlations);
  }

  private void radiusOf(HttpExchange exchange, String generationId) throws IOException {
    if (radius.isEmpty()) {
      error(exchange, 404, "the live radius probe does not run on this instance (driftwatch run --probe-endpoint)");
      return;
    }
    var record = radius.get().generation(generationId);
    if (record.isEmpty()) {
      error(exchange, 404, "this instance has not probed that generation: most are not sampled (--probe-rate), and only the latest "
          + "probed ones are kept here; the radius topic has every record");
      return;
    }
    json(exchange, 200, record.get());
  }

  private Overview overview(boolean forwarded) throws InterruptedException {
    Overview.Builder here = new Overview.Builder();
    local.forEach(here::add);
    Overview overview = here.build();
    if (forwarded) {
      return overview;
    }
    for (HostInfo host : otherInstances()) {
      Optional<byte[]> body = ask(host, "/api/overview");
      if (body.isPresent()) {
        try {
          overview = overview.plus(EventCodec.fromJson(body.get(), Overview.class));
          continue;
        } catch (IOException e) {
          log.warn("unreadable overview from {}: {}", host, e.getMessage());
        }
      }
      overview = overview.withFailed(host.host() + ":" + host.port());
    }
    return overview;
  }

  /**
   * Two live runs side by side, as {@code driftwatch compare} puts them: the closed generations the view
   * holds of {@code baseline_model}/{@code baseline_run} and of {@code model}/{@code run} (an absent
   * one matches any), their summary scores and the rules that fired for them.
   *
   * @param limited whether a side had more closed generations than one request lists (the newest count)
   */
  record LiveComparison(List<String> runOrder, Comparison comparison, boolean limited, Overview.Instances instances) {}

  private LiveComparison compare(Map<String, String> query, boolean forwarded) throws InterruptedException {
    String[] baseline = {query.get("baseline_model"), query.get("baseline_run")};
    String[] candidate = {query.get("model"), query.get("run")};
    String baselineLabel = label(baseline);
    String candidateLabel = label(candidate);
    if (baselineLabel.equals(candidateLabel)) {
      throw new IllegalArgumentException("choose two different runs (model and run of the baseline, and of the other)");
    }
    List<RunScores> runs = new ArrayList<>();
    boolean limited = false;
    List<String> failed = new ArrayList<>();
    int asked = 1;
    for (String[] side : List.of(baseline, candidate)) {
      Map<String, String> q = new LinkedHashMap<>();
      q.put("status", "closed");
      q.put("limit", String.valueOf(MAX_LIMIT));
      if (side[0] != null) {
        q.put("model", side[0]);
      }
      if (side[1] != null) {
        q.put("run", side[1]);
      }
      GenerationList list = list(q, forwarded);
      limited |= list.generations().size() >= MAX_LIMIT;
      asked = list.instances().asked();
      failed = list.instances().failed();
      RunScores.Builder run = new RunScores.Builder(label(side));
      for (GenerationView g : list.generations()) {
        run.addSummary(g.generationId(), g.runId(), g.scores());
        g.ruleStates().keySet().forEach(rule -> run.addAlerted(g.generationId(), g.runId(), rule));
      }
      RunScores built = run.build();
      if (built.generations() == 0) {
        throw new IllegalArgumentException("no closed generation of " + label(side) + " in the view yet (it keeps closed generations "
            + "for --view-retention)");
      }
      runs.add(built);
    }
    Comparison comparison = new Comparer(Comparer.Settings.DEFAULTS).compare(runs);
    return new LiveComparison(List.of(baselineLabel, candidateLabel), comparison, limited, new Overview.Instances(asked, failed));
  }

  private static String label(String[] modelAndRun) {
    return (modelAndRun[0] == null ? "any model" : modelAndRun[0]) + " · " + (modelAndRun[1] == null ? "any run" : "run " + modelAndRun[1]);
  }

  /** Every instance's baselines; a file's, the same everywhere, once. */
  private BaselineRow.Listing baselines(boolean forwarded) throws InterruptedException {
    List<BaselineRow> rows = new ArrayList<>(local.baselines());
    List<String> failed = new ArrayList<>();
    int asked = 1;
    if (!forwarded) {
      for (HostInfo host : otherInstances()) {
        asked++;
        Optional<byte[]> body = ask(host, "/api/baselines");
        try {
          if (body.isPresent()) {
            EventCodec.fromJson(body.get(), BaselineRow.Listing.class).baselines().stream().filter(r -> r.partition() >= 0).forEach(rows::add);
            continue;
          }
        } catch (IOException e) {
          log.warn("unreadable baselines from {}: {}", host, e.getMessage());
        }
        failed.add(host.host() + ":" + host.port());
      }
    }
    rows.sort(Comparator.comparing(BaselineRow::model).thenComparingInt(BaselineRow::partition));
    return new BaselineRow.Listing(rows, new Overview.Instances(asked, failed));
  }

  /** Generations, newest first: {@code status} open, closed or all; {@code model}, {@code run}; {@code limit}. */
  record GenerationList(List<GenerationView> generations, Overview.Instances instances) {}

  private GenerationList list(Map<String, String> query, boolean forwarded) throws InterruptedException {
    String status = query.getOrDefault("status", "all");
    if (!List.of("open", "closed", "all").contains(status)) {
      throw new IllegalArgumentException("status must be open, closed or all");
    }
    int limit = limit(query.get("limit"));
    Newest<GenerationView> here = new Newest<>(limit, Overview.NEWEST_FIRST);
    local.forEach(v -> {
      if (selected(v, status, query.get("model"), query.get("run"))) {
        here.add(v);
      }
    });
    List<GenerationView> views = new ArrayList<>(here.list());
    List<String> failed = new ArrayList<>();
    int asked = 1;
    if (!forwarded) {
      for (HostInfo host : otherInstances()) {
        asked++;
        Optional<byte[]> body = ask(host, GENERATIONS + "?" + rawQuery(query, status));
        try {
          if (body.isPresent()) {
            views.addAll(EventCodec.fromJson(body.get(), GenerationList.class).generations());
            continue;
          }
        } catch (IOException e) {
          log.warn("unreadable generation list from {}: {}", host, e.getMessage());
        }
        failed.add(host.host() + ":" + host.port());
      }
    }
    List<GenerationView> newest = views.stream().sorted(Overview.NEWEST_FIRST).limit(limit).toList();
    return new GenerationList(newest, new Overview.Instances(asked, failed));
  }

  private static boolean selected(GenerationView v, String status, String model, String run) {
    return (status.equals("all") || (status.equals("closed") == v.closed()))
        && (model == null || model.equals(v.model()))
        && (run == null || run.equals(v.runId()));
  }

  /** One generation, from whichever instance holds it. */
  private void generation(HttpExchange exchange, String rawId, boolean forwarded) throws IOException, InterruptedException {
    String id = URLDecoder.decode(rawId, StandardCharsets.UTF_8);
    String self = peers.self().host() + ":" + peers.self().port();
    Optional<Peers.Owner> owner = peers.ownerOf(id);
    if (owner.isEmpty()) {
      throw new InvalidStateStoreException("no metadata for " + id);
    }
    HostInfo host = owner.get().host();
    if (forwarded || peers.isSelf(host)) {
      Integer partition = peers.isSelf(host) ? owner.get().partition() : null;
      Optional<byte[]> detail = local.detail(id, partition, self);
      if (detail.isEmpty()) {
        error(exchange, 404, "no generation \"" + id + "\" here: it has not started, or its view has expired (docs/web.md)");
        return;
      }
      exchange.getResponseHeaders().set(SERVED_BY_HEADER, self);
      WebServer.send(exchange, 200, JSON, detail.get());
      return;
    }
    Peers.Answer answer;
    try {
      answer = peers.get(host, GENERATIONS + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
    } catch (IOException e) {
      error(exchange, 502, "the instance that holds this generation (" + host.host() + ":" + host.port() + ") did not answer: " + e.getMessage());
      return;
    }
    exchange.getResponseHeaders().set(SERVED_BY_HEADER, host.host() + ":" + host.port());
    WebServer.send(exchange, answer.status(), JSON, answer.body());
  }

  record InstanceInfo(String host, int port, boolean self, List<String> partitions) {}

  record InstanceList(List<InstanceInfo> instances) {}

  private InstanceList instances() {
    List<InstanceInfo> out = new ArrayList<>();
    for (StreamsMetadata m : peers.all()) {
      List<String> partitions = m.topicPartitions().stream().map(tp -> tp.topic() + "-" + tp.partition()).sorted().toList();
      out.add(new InstanceInfo(m.host(), m.port(), peers.isSelf(m.hostInfo()), partitions));
    }
    return new InstanceList(out);
  }

  private List<HostInfo> otherInstances() {
    return peers.all().stream().map(StreamsMetadata::hostInfo).filter(h -> !peers.isSelf(h)).distinct().toList();
  }

  /** The body of another instance's 200 answer, or empty when it failed or did not answer. */
  private Optional<byte[]> ask(HostInfo host, String pathAndQuery) throws InterruptedException {
    try {
      Peers.Answer answer = peers.get(host, pathAndQuery);
      if (answer.status() == 200) {
        return Optional.of(answer.body());
      }
      log.warn("instance {}:{} answered {} to {}", host.host(), host.port(), answer.status(), pathAndQuery);
    } catch (IOException e) {
      log.warn("instance {}:{} did not answer {}: {}", host.host(), host.port(), pathAndQuery, e.toString());
    }
    return Optional.empty();
  }

  private static int limit(String value) {
    if (value == null) {
      return 100;
    }
    try {
      int n = Integer.parseInt(value);
      if (n < 1 || n > MAX_LIMIT) {
        throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("limit must be a number");
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.putIfAbsent(key, value);
    }
    return query;
  }

  private static String rawQuery(Map<String, String> query, String status) {
    Map<String, String> q = new LinkedHashMap<>(query);
    q.put("status", status);
    q.put("limit", String.valueOf(MAX_LIMIT));
    StringBuilder out = new StringBuilder();
    q.forEach((k, v) -> out.append(out.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return out.toString();
  }

  private static void json(HttpExchange exchange, int status, Object body) throws IOException {
    WebServer.send(exchange, status, JSON, EventCodec.toJson(body));
  }

  record Error(int status, String error) {}

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    json(exchange, status, new Error(status, message));
  }
}
