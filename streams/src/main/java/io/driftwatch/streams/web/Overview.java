package io.driftwatch.streams.web;

import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.Score;
import io.driftwatch.streams.view.GenerationView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runs overview: per model and run, counts and the distribution of each generation's latest
 * scores; the generations streaming now; the most recent alerts. Each instance computes it from the
 * generations it holds, and the instance that answers adds the others' up ({@link #plus}).
 *
 * @param instances how many instances were asked, and which did not answer
 */
public record Overview(Totals totals, List<RunStats> runs, List<GenerationView> active, List<GenerationView> recent,
    List<AlertEvent> recentAlerts, Instances instances) {

  /** Generations listed as active, or as recently closed. */
  static final int LISTED = 50;
  static final int RECENT_ALERTS = 50;

  /**
   * The scores whose distribution the overview shows, with the range of their bins: the score's own range
   * where it is bounded, else the part of it where steady and drifting text fall (values outside go to the end bins).
   */
  static final Map<String, double[]> DISTRIBUTIONS = distributions();

  private static Map<String, double[]> distributions() {
    Map<String, double[]> d = new LinkedHashMap<>();
    d.put(Score.TOPIC_SHIFT.wireName(), new double[] {-0.2, 1});
    d.put(Score.NEIGHBOUR_SHIFT.wireName(), new double[] {-1, 5});
    d.put(Score.ENTITY_SHIFT.wireName(), range(Score.ENTITY_SHIFT));
    d.put(Score.DRIFT_INDEX.wireName(), range(Score.DRIFT_INDEX));
    d.put(Score.GLOBAL_COMMITMENT.wireName(), range(Score.GLOBAL_COMMITMENT));
    d.put(Score.REFERENTIAL_DRIFT.wireName(), range(Score.REFERENTIAL_DRIFT));
    d.put(Score.SEMANTIC_DRIFT_INDEX.wireName(), new double[] {-1, 1});
    d.put(Score.COVERAGE_12.wireName(), range(Score.COVERAGE_12));
    return d;
  }

  private static double[] range(Score score) {
    return new double[] {score.min(), score.max()};
  }

  static final int BINS = 20;

  public record Totals(long generations, long open, long closed, long tokens, long alerts) {
    Totals plus(Totals o) {
      return new Totals(generations + o.generations, open + o.open, closed + o.closed, tokens + o.tokens, alerts + o.alerts);
    }
  }

  /** One model's run. {@code distributions} holds only the scores some generation of the run has. */
  public record RunStats(String model, String runId, long generations, long open, long closed, long tokens, long alerts,
      long alertsFiring, Map<String, BinCounts> distributions) {

    RunStats plus(RunStats o) {
      Map<String, BinCounts> sum = new TreeMap<>(distributions);
      o.distributions.forEach((score, h) -> sum.merge(score, h, BinCounts::plus));
      return new RunStats(model, runId, generations + o.generations, open + o.open, closed + o.closed, tokens + o.tokens,
          alerts + o.alerts, alertsFiring + o.alertsFiring, sum);
    }

    String key() {
      return model + "\u0000" + runId;
    }
  }

  /** @param failed instances (host:port) that did not answer; their generations are missing */
  public record Instances(int asked, List<String> failed) {}

  /**
   * One instance's overview, made as its generations are read one by one: it holds their sums and the
   * newest few, never all of them.
   */
  static final class Builder {
    private final Map<String, RunStats> runs = new TreeMap<>();
    private final Newest<GenerationView> active = new Newest<>(LISTED, NEWEST_FIRST);
    private final Newest<GenerationView> recent = new Newest<>(LISTED, NEWEST_FIRST);
    private final Newest<AlertEvent> alerts = new Newest<>(RECENT_ALERTS, NEWEST_ALERTS_FIRST);
    private Totals totals = new Totals(0, 0, 0, 0, 0);

    void add(GenerationView v) {
      RunStats one = statsOf(v);
      runs.merge(one.key(), one, RunStats::plus);
      totals = totals.plus(new Totals(1, v.closed() ? 0 : 1, v.closed() ? 1 : 0, v.tokens(), v.alerts()));
      (v.closed() ? recent : active).add(v);
      v.recentAlerts().forEach(alerts::add);
    }

    Overview build() {
      return new Overview(totals, List.copyOf(runs.values()), active.list(), recent.list(), alerts.list(), new Instances(1, List.of()));
    }
  }

  private static RunStats statsOf(GenerationView v) {
    Map<String, BinCounts> distributions = new TreeMap<>();
    DISTRIBUTIONS.forEach((score, range) -> {
      Double value = v.scores().get(score);
      if (value != null) {
        BinCounts h = BinCounts.empty(range[0], range[1], BINS);
        h.add(value);
        distributions.put(score, h);
      }
    });
    return new RunStats(v.model(), v.runId(), 1, v.closed() ? 0 : 1, v.closed() ? 1 : 0, v.tokens(), v.alerts(),
        v.alertsFiring(), distributions);
  }

  /** This overview and another instance's, as one. */
  public Overview plus(Overview o) {
    Map<String, RunStats> runsByKey = new TreeMap<>();
    for (RunStats r : runs) {
      runsByKey.put(r.key(), r);
    }
    for (RunStats r : o.runs) {
      runsByKey.merge(r.key(), r, RunStats::plus);
    }
    List<GenerationView> a = new ArrayList<>(active);
    a.addAll(o.active);
    List<GenerationView> c = new ArrayList<>(recent);
    c.addAll(o.recent);
    List<AlertEvent> al = new ArrayList<>(recentAlerts);
    al.addAll(o.recentAlerts);
    List<String> failed = new ArrayList<>(instances.failed());
    failed.addAll(o.instances.failed());
    return new Overview(totals.plus(o.totals), List.copyOf(runsByKey.values()), newest(a), newest(c), newestAlerts(al),
        new Instances(instances.asked() + o.instances.asked(), failed));
  }

  /** This overview, noting an instance that was asked and did not answer. */
  public Overview withFailed(String instance) {
    List<String> failed = new ArrayList<>(instances.failed());
    failed.add(instance);
    return new Overview(totals, runs, active, recent, recentAlerts, new Instances(instances.asked() + 1, failed));
  }

  /** Generations by their last event, the latest first; then by id, so that the order is total. */
  static final Comparator<GenerationView> NEWEST_FIRST = Comparator
      .comparing(GenerationView::lastEventTime, Comparator.nullsLast(Comparator.reverseOrder()))
      .thenComparing(GenerationView::generationId);

  private static List<GenerationView> newest(List<GenerationView> views) {
    return views.stream().sorted(NEWEST_FIRST).limit(LISTED).toList();
  }

  private static final Comparator<AlertEvent> NEWEST_ALERTS_FIRST = Comparator
      .comparing(AlertEvent::eventTime, Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
      .thenComparing(AlertEvent::generationId);

  private static List<AlertEvent> newestAlerts(List<AlertEvent> alerts) {
    return alerts.stream().sorted(NEWEST_ALERTS_FIRST).limit(RECENT_ALERTS).toList();
  }
}
