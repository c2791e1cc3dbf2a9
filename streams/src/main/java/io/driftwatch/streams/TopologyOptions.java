package io.driftwatch.streams;

import io.driftwatch.contract.Topics;
import io.driftwatch.scoring.attribution.AttributionScoring;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.scoring.SemanticScoring;
import io.driftwatch.streams.view.ViewSettings;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link DriftwatchTopology#build(TopologyOptions)} builds. Built with {@link #builder(Topics,
 * DriftwatchMetrics)}, which holds the defaults: {@link MonitorSettings#DEFAULTS}, and none of the
 * optional parts, each of which costs a model, an index or stores when present.
 *
 * @param topics the topics the topology reads and writes
 * @param monitor what is scored and how long generations are kept
 * @param metrics where the processors count
 * @param semantic the sentence encoder and its batching; empty: no semantic scores
 * @param attribution matching against a reference index; empty: no attribution
 * @param view what the web view keeps; empty: no web view (and none of its stores)
 */
public record TopologyOptions(
    Topics topics,
    MonitorSettings monitor,
    DriftwatchMetrics metrics,
    Optional<SemanticScoring> semantic,
    Optional<AttributionScoring> attribution,
    Optional<ViewSettings> view) {

  public TopologyOptions {
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(monitor, "monitor");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(semantic, "semantic");
    Objects.requireNonNull(attribution, "attribution");
    Objects.requireNonNull(view, "view");
  }

  /** Default monitor settings and no optional part. */
  public static Builder builder(Topics topics, DriftwatchMetrics metrics) {
    return new Builder(topics, metrics);
  }

  public static final class Builder {
    private final Topics topics;
    private final DriftwatchMetrics metrics;
    private MonitorSettings monitor = MonitorSettings.DEFAULTS;
    private Optional<SemanticScoring> semantic = Optional.empty();
    private Optional<AttributionScoring> attribution = Optional.empty();
    private Optional<ViewSettings> view = Optional.empty();

    private Builder(Topics topics, DriftwatchMetrics metrics) {
      this.topics = topics;
      this.metrics = metrics;
    }

    public Builder monitor(MonitorSettings m) {
      this.monitor = m;
      return this;
    }

    /** @param s the sentence encoder and its batching; null: no semantic scores */
    public Builder semantic(SemanticScoring s) {
      this.semantic = Optional.ofNullable(s);
      return this;
    }

    /** @param a matching against a reference index; null: no attribution */
    public Builder attribution(AttributionScoring a) {
      this.attribution = Optional.ofNullable(a);
      return this;
    }

    /** @param v what the web view keeps; null: no web view */
    public Builder view(ViewSettings v) {
      this.view = Optional.ofNullable(v);
      return this;
    }

    public TopologyOptions build() {
      return new TopologyOptions(topics, monitor, metrics, semantic, attribution, view);
    }
  }
}
